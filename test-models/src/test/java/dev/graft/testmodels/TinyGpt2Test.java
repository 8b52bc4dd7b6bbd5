package dev.graft.testmodels;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.Architecture;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TinyGpt2Test {
    @TempDir
    Path dir;

    private static TensorSpec spec(String name, long... dims) {
        return new TensorSpec(name, DType.F32, Shape.of(dims));
    }

    @Test
    void namesAndConv1DShapes() {
        TinyModel m = TinyGpt2.builder().layers(1).embd(8).vocab(50).positions(16).heads(2).dtype(DType.F32).build();
        assertThat(m.specs()).containsExactly(
                spec("transformer.wte.weight", 50, 8),
                spec("transformer.wpe.weight", 16, 8),
                spec("transformer.h.0.ln_1.weight", 8),
                spec("transformer.h.0.ln_1.bias", 8),
                spec("transformer.h.0.attn.c_attn.weight", 8, 24),
                spec("transformer.h.0.attn.c_attn.bias", 24),
                spec("transformer.h.0.attn.c_proj.weight", 8, 8),
                spec("transformer.h.0.attn.c_proj.bias", 8),
                spec("transformer.h.0.ln_2.weight", 8),
                spec("transformer.h.0.ln_2.bias", 8),
                spec("transformer.h.0.mlp.c_fc.weight", 8, 32),
                spec("transformer.h.0.mlp.c_fc.bias", 32),
                spec("transformer.h.0.mlp.c_proj.weight", 32, 8),
                spec("transformer.h.0.mlp.c_proj.bias", 8),
                spec("transformer.ln_f.weight", 8),
                spec("transformer.ln_f.bias", 8));
    }

    @Test
    void configUsesGpt2AttributeNames() throws IOException {
        TinyGpt2.builder().layers(3).writeTo(dir);
        assertThat(Files.readString(dir.resolve("config.json"))).isEqualTo("""
                {
                  "architectures": [
                    "GPT2LMHeadModel"
                  ],
                  "model_type": "gpt2",
                  "n_embd": 64,
                  "n_head": 4,
                  "n_layer": 3,
                  "n_positions": 128,
                  "tie_word_embeddings": true,
                  "torch_dtype": "bfloat16",
                  "vocab_size": 256
                }
                """);
        try (ModelSource m = ModelSource.open(dir)) {
            assertThat(m.tensors()).hasSize(2 + 3 * 12 + 2);
            assertThat(Architecture.of(m)).isEqualTo(new Architecture("gpt2", Optional.of("GPT2LMHeadModel"),
                    Architecture.Source.CONFIG, 3, List.of()));
        }
    }

    @Test
    void conv1dWeightsAreScaledByTheirInputDimension() {
        TinyGpt2.builder().layers(1).embd(128).dtype(DType.F32).writeTo(dir);
        try (ModelSource m = ModelSource.open(dir)) {
            // c_proj of the MLP is [4·embd, embd]: fan_in 512
            float[] w = m.tensor("transformer.h.0.mlp.c_proj.weight").toFloatArray();
            assertThat(TinyLlamaTest.std(w)).isCloseTo(1 / Math.sqrt(512), within(0.001));
            float[] bias = m.tensor("transformer.h.0.mlp.c_fc.bias").toFloatArray();
            assertThat(TinyLlamaTest.mean(bias)).isCloseTo(0, within(0.002));
            assertThat(TinyLlamaTest.std(bias)).isCloseTo(0.02, within(0.002));
        }
    }
}
