package dev.graft.core.recipe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GradientTTest {

    @Test
    void layerPositionSpansTheSlice() {
        assertThat(GradientT.forLayer(0, 5)).isEqualTo(0.0);
        assertThat(GradientT.forLayer(1, 5)).isEqualTo(0.25);
        assertThat(GradientT.forLayer(4, 5)).isEqualTo(1.0);
        assertThat(GradientT.forLayer(1, 3)).isEqualTo(0.5);
    }

    @Test
    void aOneLayerSliceIsAtTheEnd() {
        assertThat(GradientT.forLayer(0, 1)).isEqualTo(1.0);
    }

    @Test
    void tensorsOutsideBlocksAreAtZero() {
        assertThat(GradientT.forTensor("model.embed_tokens.weight", 4)).isEqualTo(0.0);
        assertThat(GradientT.forTensor("model.norm.weight", 4)).isEqualTo(0.0);
        assertThat(GradientT.forTensor("lm_head.weight", 4)).isEqualTo(0.0);
        assertThat(GradientT.forTensor("model.layers.2.mlp.up_proj.weight", 5)).isEqualTo(0.5);
        assertThat(GradientT.forTensor("transformer.h.3.attn.c_attn.weight", 4)).isEqualTo(1.0);
    }

    @Test
    void aLayerOutsideTheSliceIsRejected() {
        assertThatThrownBy(() -> GradientT.forLayer(4, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 4 outside a slice of 4 layers");
        assertThatThrownBy(() -> GradientT.forTensor("model.layers.7.mlp.weight", 4))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
