package dev.graft.testmodels;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.Architecture;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TinyBertTest {
    @TempDir
    Path dir;

    private static TensorSpec spec(String name, long... dims) {
        return new TensorSpec(name, DType.F16, Shape.of(dims));
    }

    @Test
    void namesAndShapesFollowBertModel() {
        TinyModel m = TinyBert.builder().layers(1).hidden(8).intermediate(32).vocab(40).positions(16).heads(2)
                .dtype(DType.F16).build();
        assertThat(m.specs()).containsExactly(
                spec("embeddings.word_embeddings.weight", 40, 8),
                spec("embeddings.position_embeddings.weight", 16, 8),
                spec("embeddings.token_type_embeddings.weight", 2, 8),
                spec("embeddings.LayerNorm.weight", 8),
                spec("embeddings.LayerNorm.bias", 8),
                spec("encoder.layer.0.attention.self.query.weight", 8, 8),
                spec("encoder.layer.0.attention.self.query.bias", 8),
                spec("encoder.layer.0.attention.self.key.weight", 8, 8),
                spec("encoder.layer.0.attention.self.key.bias", 8),
                spec("encoder.layer.0.attention.self.value.weight", 8, 8),
                spec("encoder.layer.0.attention.self.value.bias", 8),
                spec("encoder.layer.0.attention.output.dense.weight", 8, 8),
                spec("encoder.layer.0.attention.output.dense.bias", 8),
                spec("encoder.layer.0.attention.output.LayerNorm.weight", 8),
                spec("encoder.layer.0.attention.output.LayerNorm.bias", 8),
                spec("encoder.layer.0.intermediate.dense.weight", 32, 8),
                spec("encoder.layer.0.intermediate.dense.bias", 32),
                spec("encoder.layer.0.output.dense.weight", 8, 32),
                spec("encoder.layer.0.output.dense.bias", 8),
                spec("encoder.layer.0.output.LayerNorm.weight", 8),
                spec("encoder.layer.0.output.LayerNorm.bias", 8),
                spec("pooler.dense.weight", 8, 8),
                spec("pooler.dense.bias", 8));
    }

    @Test
    void graftReadsItAsABertEncoderWithItsLayers() {
        TinyBert.builder().layers(3).maxShardBytes(40_000).writeTo(dir);
        try (ModelSource m = ModelSource.open(dir)) {
            assertThat(Architecture.of(m)).isEqualTo(new Architecture("bert", Optional.of("BertModel"),
                    Architecture.Source.CONFIG, 3, List.of()));
            assertThat(m.tensors()).hasSize(5 + 3 * 16 + 2);
            assertThat(Architecture.blockIndex("encoder.layer.2.output.dense.weight")).hasValue(2);
        }
    }

    @Test
    void headsMustDivideHidden() {
        assertThatThrownBy(() -> TinyBert.builder().hidden(10).heads(4).build())
                .hasMessage("hidden (10) must be a multiple of heads (4)");
    }
}
