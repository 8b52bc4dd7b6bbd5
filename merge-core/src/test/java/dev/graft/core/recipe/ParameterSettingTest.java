package dev.graft.core.recipe;

import dev.graft.core.recipe.ParameterSetting.Choice;
import dev.graft.core.recipe.ParameterSetting.Filtered;
import dev.graft.core.recipe.ParameterSetting.Filtered.Entry;
import dev.graft.core.recipe.ParameterSetting.Gradient;
import dev.graft.core.recipe.ParameterSetting.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParameterSettingTest {
    private static final String MLP = "model.layers.3.mlp.up_proj.weight";
    private static final String ATTN = "model.layers.3.self_attn.q_proj.weight";

    /** Expected values are Python's for mergekit's evaluate_setting, repr-printed (0.75 → 0.39999999999999997). */
    @ParameterizedTest
    @CsvSource({
            "0,    1.0",
            "0.25, 0.85",
            "0.5,  0.7",
            "0.75, 0.39999999999999997",
            "1,    0.1",
    })
    void gradientInterpolatesBetweenAnchorsExactlyAsMergekit(double t, double expected) {
        Gradient g = new Gradient(List.of(1.0, 0.7, 0.1));
        assertThat(g.evaluate(MLP, t)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "0,                  0.0",
            "0.25,               0.22499999999999998",
            "0.3333333333333333, 0.3",
            "0.5,                0.5",
            "0.75,               0.7749999999999999",
            "1,                  1.0",
    })
    void fourAnchorGradient(double t, double expected) {
        assertThat(new Gradient(List.of(0.0, 0.3, 0.7, 1.0)).evaluate(MLP, t)).contains(expected);
    }

    @Test
    void gradientOfOneValueIsConstant() {
        Gradient g = new Gradient(List.of(0.4));
        assertThat(g.evaluate(MLP, 0)).contains(0.4);
        assertThat(g.evaluate(MLP, 1)).contains(0.4);
    }

    @Test
    void gradientAtLayerPositionsOfA40LayerSlice() {
        // gradient-slerp's self_attn curve at layer 1 and layer 20 of 40 (t = 1/39, 20/39)
        Gradient g = new Gradient(List.of(0.0, 0.5, 0.3, 0.7, 1.0));
        assertThat(g.evaluate(ATTN, GradientT.forLayer(1, 40))).contains(0.05128205128205128);
        assertThat(g.evaluate(ATTN, GradientT.forLayer(20, 40))).contains(0.32051282051282043);
    }

    @Test
    void choicePicksWithoutInterpolating() {
        Choice c = new Choice(List.of("a", "b", "c"));
        assertThat(c.evaluate(MLP, 0)).contains("a");
        assertThat(c.evaluate(MLP, 0.49)).contains("a");
        assertThat(c.evaluate(MLP, 0.5)).contains("b");
        assertThat(c.evaluate(MLP, 0.99)).contains("b");
        assertThat(c.evaluate(MLP, 1)).contains("c");
    }

    @Test
    void scalarIsTheSameEverywhere() {
        assertThat(new Scalar(0.5).evaluate(MLP, 0.3)).contains(0.5);
        assertThat(new Scalar(7L).evaluate(null, 1)).contains(7L);
        assertThat(new Scalar(true).evaluate(ATTN, 0)).contains(true);
    }

    @Test
    void filterMatchesBySubstringFirstEntryWins() {
        Filtered f = new Filtered(List.of(
                new Entry(Optional.of("self_attn"), new Scalar(1.0)),
                new Entry(Optional.of("mlp"), new Gradient(List.of(0.0, 1.0))),
                new Entry(Optional.empty(), new Scalar(0.5))));
        assertThat(f.evaluate(ATTN, 0)).contains(1.0);
        assertThat(f.evaluate(MLP, 0.25)).contains(0.25);
        assertThat(f.evaluate("model.embed_tokens.weight", 0)).contains(0.5);
    }

    @Test
    void filterIsASubstringNotASegment() {
        Entry e = new Entry(Optional.of("mlp"), new Scalar(1.0));
        assertThat(e.matches("model.layers.0.mlp_norm.weight")).isTrue();
        assertThat(e.matches("model.layers.0.post_attention_layernorm.weight")).isFalse();
        assertThat(new Entry(Optional.of("layers.1."), new Scalar(1.0)).matches("model.layers.10.mlp.weight"))
                .isFalse();
    }

    @Test
    void starAndMissingFilterMatchEverythingEvenWithoutAName() {
        assertThat(new Entry(Optional.of("*"), new Scalar(1.0)).matches(null)).isTrue();
        assertThat(new Entry(Optional.empty(), new Scalar(1.0)).matches("")).isTrue();
        // mergekit: `tensor_name and filter in tensor_name`, so an empty name matches no real filter
        assertThat(new Entry(Optional.of(""), new Scalar(1.0)).matches("")).isFalse();
        assertThat(new Entry(Optional.of("mlp"), new Scalar(1.0)).matches(null)).isFalse();
    }

    @Test
    void noMatchingFilterIsEmpty() {
        Filtered f = new Filtered(List.of(new Entry(Optional.of("mlp"), new Scalar(0.5))));
        assertThat(f.evaluate(ATTN, 0)).isEmpty();
    }

    @Test
    void tOutsideTheUnitIntervalIsAPlannerBug() {
        assertThatThrownBy(() -> new Gradient(List.of(1.0, 2.0)).evaluate(MLP, 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer position t must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> new Choice(List.of("a")).evaluate(MLP, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyListsAreRejected() {
        assertThatThrownBy(() -> new Gradient(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Choice(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Filtered(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Scalar(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a scalar setting is a Long, Double, Boolean or String, not Integer");
    }
}
