package dev.graft.algorithms;

import dev.graft.core.exec.MergeReport;
import dev.graft.core.plan.PlanException;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.Shape;
import dev.graft.testmodels.TinyGpt2;
import dev.graft.testmodels.TinyLlama;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Different vocabulary sizes, tied embeddings and mismatched shapes, on generated models. */
class MismatchedModelsTest {
    @TempDir
    Path dir;

    private Path model(String name, int vocab, boolean tied, long seed) {
        return TinyLlama.builder().layers(2).hidden(16).intermediate(32).vocab(vocab).heads(2).kvHeads(2)
                .tiedEmbeddings(tied).dtype(DType.F32).seed(seed).writeTo(dir.resolve(name));
    }

    @Test
    void embeddingsOfDifferentVocabularySizesMergeOnTheCommonRows() {
        Path base = model("base", 64, false, 1);
        Path ft = model("ft", 72, false, 2);
        Path out = dir.resolve("out.safetensors");
        MergeReport r = Merge.taskArithmetic().base(base).add(ft, 0.5).write(out);
        assertThat(r.warnings()).contains(
                "lm_head.weight: shapes differ between models (vocabulary sizes?); merging the common 64x16 submatrix",
                "model.embed_tokens.weight: shapes differ between models (vocabulary sizes?); merging the common 64x16 submatrix");
        try (ModelSource b = ModelSource.open(base); ModelSource f = ModelSource.open(ft); ModelSource m = ModelSource.open(out)) {
            assertThat(m.spec("model.embed_tokens.weight").orElseThrow().shape()).isEqualTo(Shape.of(64, 16));
            float[] bv = b.tensor("model.embed_tokens.weight").toFloatArray();
            float[] fv = f.tensor("model.embed_tokens.weight").toFloatArray();
            float[] mv = m.tensor("model.embed_tokens.weight").toFloatArray();
            for (int i = 0; i < mv.length; i++) {
                assertThat(mv[i]).isEqualTo(bv[i] + 0.5f * (fv[i] - bv[i]));
            }
        }
    }

    @Test
    void theConfigVocabularyFollowsTheRowsKept() throws Exception {
        Path base = model("base", 72, false, 1);
        Path ft = model("ft", 64, false, 2);
        Path out = dir.resolve("folder");
        Merge.taskArithmetic().base(base).add(ft, 1.0).write(out);
        assertThat(java.nio.file.Files.readString(out.resolve("config.json"))).contains("\"vocab_size\": 64\n");
    }

    @Test
    void aTiedModelLendsItsEmbeddingToTheOutputHead() {
        Path base = model("base", 64, false, 1);
        Path tied = model("tied", 64, true, 3);
        Path out = dir.resolve("out.safetensors");
        MergeReport r = Merge.linear().add(base, 1.0).add(tied, 1.0).write(out);
        assertThat(r.warnings()).containsExactly(
                tied + " has no lm_head.weight; its tied model.embed_tokens.weight is used");
        try (ModelSource b = ModelSource.open(base); ModelSource t = ModelSource.open(tied); ModelSource m = ModelSource.open(out)) {
            float[] head = b.tensor("lm_head.weight").toFloatArray();
            float[] emb = t.tensor("model.embed_tokens.weight").toFloatArray();
            float[] merged = m.tensor("lm_head.weight").toFloatArray();
            for (int i = 0; i < merged.length; i++) {
                assertThat(merged[i]).isEqualTo((head[i] + emb[i]) / 2);
            }
        }
    }

    @Test
    void differentArchitecturesAreRefusedWithEveryMismatchNamed() {
        Path base = model("base", 64, false, 1);
        Path wide = TinyLlama.builder().layers(2).hidden(16).intermediate(48).vocab(64).heads(2).kvHeads(2)
                .dtype(DType.F32).seed(2).writeTo(dir.resolve("wide"));
        PlanException e = catchThrowableOfType(PlanException.class,
                () -> Merge.taskArithmetic().base(base).add(wide, 1.0).plan());
        assertThat(e.problems()).containsExactly(
                "tensor model.layers.0.mlp.down_proj.weight has different shapes: " + base + " [16, 32] " + wide + " [16, 48]",
                "tensor model.layers.0.mlp.gate_proj.weight has different shapes: " + base + " [32, 16] " + wide + " [48, 16]",
                "tensor model.layers.0.mlp.up_proj.weight has different shapes: " + base + " [32, 16] " + wide + " [48, 16]",
                "tensor model.layers.1.mlp.down_proj.weight has different shapes: " + base + " [16, 32] " + wide + " [16, 48]",
                "tensor model.layers.1.mlp.gate_proj.weight has different shapes: " + base + " [32, 16] " + wide + " [48, 16]",
                "tensor model.layers.1.mlp.up_proj.weight has different shapes: " + base + " [32, 16] " + wide + " [48, 16]");
    }

    @Test
    void aBaseOfAnotherArchitectureIsSaidOnceAboveTenTensors() {
        // Before: one line per tensor and model, 20 of them, and no word of why.
        Path base = TinyGpt2.builder().layers(1).embd(16).vocab(64).heads(2).dtype(DType.F32).seed(1)
                .writeTo(dir.resolve("gpt2"));
        Path ft1 = model("ft1", 64, false, 2);
        Path ft2 = model("ft2", 64, false, 3);
        PlanException e = catchThrowableOfType(PlanException.class,
                () -> Merge.taskArithmetic().base(base).add(ft1, 1.0).add(ft2, 1.0).plan());
        String both = " is missing from models " + ft1 + ", " + ft2;
        assertThat(e.problems()).containsExactly(
                "base is gpt2-style, models are llama-style: 16 tensors are missing or shaped differently",
                "tensor transformer.h.0.attn.c_attn.bias" + both,
                "tensor transformer.h.0.attn.c_attn.weight" + both,
                "tensor transformer.h.0.attn.c_proj.bias" + both,
                "tensor transformer.h.0.attn.c_proj.weight" + both,
                "tensor transformer.h.0.ln_1.bias" + both,
                "tensor transformer.h.0.ln_1.weight" + both,
                "tensor transformer.h.0.ln_2.bias" + both,
                "tensor transformer.h.0.ln_2.weight" + both,
                "tensor transformer.h.0.mlp.c_fc.bias" + both,
                "tensor transformer.h.0.mlp.c_fc.weight" + both,
                "… and 6 more tensors");
        assertThat(e.count()).isEqualTo(16);
    }
}
