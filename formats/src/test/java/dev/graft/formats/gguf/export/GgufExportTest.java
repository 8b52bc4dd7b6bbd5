package dev.graft.formats.gguf.export;

import dev.graft.formats.dtype.Bf16;
import dev.graft.formats.gguf.GgufError;
import dev.graft.formats.gguf.GgufException;
import dev.graft.formats.gguf.GgufFile;
import dev.graft.formats.gguf.GgufTensorInfo;
import dev.graft.formats.gguf.GgufTensorType;
import dev.graft.formats.gguf.GgufValue;
import dev.graft.formats.model.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hugging Face models exported to GGUF: names, types, permuted rows, metadata and tokenizer keys. */
class GgufExportTest {
    @TempDir
    Path dir;

    @Test
    void permutationInterleavesTheHalvesOfEachHead() {
        RotaryPermutation p = new RotaryPermutation(8, 2);
        long[] order = new long[8];
        for (int r = 0; r < 8; r++) {
            order[r] = p.sourceRow(r);
        }
        // heads of width 4: GGUF rows (0 1 2 3) take HF rows (0 2 1 3), i.e. pairs (i, i + 2) become adjacent
        assertThat(order).containsExactly(0, 2, 1, 3, 4, 6, 5, 7);
        assertThatThrownBy(() -> new RotaryPermutation(6, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesMapBothWays() {
        Map<String, String> pairs = Map.of(
                "model.embed_tokens.weight", "token_embd.weight",
                "model.layers.12.self_attn.q_proj.weight", "blk.12.attn_q.weight",
                "model.layers.0.self_attn.k_proj.bias", "blk.0.attn_k.bias",
                "model.layers.3.self_attn.o_proj.weight", "blk.3.attn_output.weight",
                "model.layers.3.mlp.down_proj.weight", "blk.3.ffn_down.weight",
                "model.layers.3.input_layernorm.weight", "blk.3.attn_norm.weight",
                "model.layers.3.post_attention_layernorm.weight", "blk.3.ffn_norm.weight",
                "model.norm.weight", "output_norm.weight",
                "lm_head.weight", "output.weight");
        pairs.forEach((hf, gguf) -> {
            assertThat(TensorNames.gguf(hf)).contains(gguf);
            assertThat(TensorNames.huggingFace(gguf)).contains(hf);
        });
        assertThat(TensorNames.gguf("model.layers.0.mlp.experts.0.w1.weight")).isEmpty();
        assertThat(TensorNames.isSkipped("model.layers.0.self_attn.rotary_emb.inv_freq")).isTrue();
    }

    private Path export(Path model, GgufTensorType type, Pattern keep) {
        Path out = dir.resolve(model.getFileName() + "-" + type + ".gguf");
        try (ModelSource m = ModelSource.open(model)) {
            GgufExport.of(m).type(type).keepF16(keep).threads(2).write(out);
        }
        return out;
    }

    @Test
    void llamaIsWrittenAsConvertHfToGgufWritesIt() throws IOException {
        Path model = TinyHfModel.write(dir.resolve("tiny-llama"), "llama", true, false);
        Path out = export(model, GgufTensorType.BF16, null);
        try (GgufFile f = GgufFile.open(out)) {
            assertThat(f.header().tensors()).extracting(GgufTensorInfo::name).containsExactly(
                    "blk.0.attn_k.weight", "blk.0.attn_norm.weight", "blk.0.attn_output.weight",
                    "blk.0.attn_q.weight", "blk.0.attn_v.weight", "blk.0.ffn_down.weight", "blk.0.ffn_gate.weight",
                    "blk.0.ffn_norm.weight", "blk.0.ffn_up.weight", "output.weight", "output_norm.weight",
                    "token_embd.weight");
            assertThat(f.header().tensor("blk.0.attn_norm.weight").orElseThrow().type()).isEqualTo(GgufTensorType.F32);
            assertThat(f.header().tensor("blk.0.attn_q.weight").orElseThrow().type()).isEqualTo(GgufTensorType.BF16);
            assertThat(f.header().tensor("blk.0.ffn_down.weight").orElseThrow().dims()).containsExactly(64, 32);
            // q: 4 heads of 8 rows, k: 2 heads of 8 rows; GGUF row r holds HF row h*8 + (r%2)*4 + (r%8)/2
            checkRows(f.tensor("blk.0.attn_q.weight").toFloatArray(), 32, new RotaryPermutation(32, 4));
            checkRows(f.tensor("blk.0.attn_k.weight").toFloatArray(), 16, new RotaryPermutation(16, 2));
            checkRows(f.tensor("blk.0.attn_v.weight").toFloatArray(), 16, null);
            assertThat(f.tensor("blk.0.attn_norm.weight").toFloatArray()).startsWith(0.5f, 0.625f, 0.75f);

            Map<String, GgufValue> m = f.header().metadata();
            assertThat(m.get("general.architecture").asString()).isEqualTo("llama");
            assertThat(m.get("general.name").asString()).isEqualTo("tiny-llama");
            assertThat(m.get("general.file_type").asLong()).isEqualTo(32);
            assertThat(m.get("llama.context_length").asLong()).isEqualTo(2048);
            assertThat(m.get("llama.embedding_length").asLong()).isEqualTo(32);
            assertThat(m.get("llama.block_count").asLong()).isEqualTo(1);
            assertThat(m.get("llama.feed_forward_length").asLong()).isEqualTo(64);
            assertThat(m.get("llama.attention.head_count").asLong()).isEqualTo(4);
            assertThat(m.get("llama.attention.head_count_kv").asLong()).isEqualTo(2);
            assertThat(m.get("llama.rope.freq_base").value()).isEqualTo(500000f);
            assertThat(m.get("llama.rope.dimension_count").asLong()).isEqualTo(8);
            assertThat(m.get("llama.attention.layer_norm_rms_epsilon").value()).isEqualTo(1e-6f);
            assertThat(m.get("llama.vocab_size").asLong()).isEqualTo(12);

            assertThat(m.get("tokenizer.ggml.model").asString()).isEqualTo("llama");
            assertThat(List.<Object>copyOf(m.get("tokenizer.ggml.tokens").asList())).containsExactly("<unk>", "<s>", "</s>",
                    "<0x00>", "<0x0A>", "\u2581", "a", "b", "\u2581a", "\u2581ab", "<|im_end|>", "[PAD11]");
            assertThat(List.<Object>copyOf(m.get("tokenizer.ggml.token_type").asList()))
                    .containsExactly(3L, 3L, 3L, 6L, 6L, 1L, 1L, 1L, 1L, 1L, 3L, 5L);
            assertThat(List.<Object>copyOf(m.get("tokenizer.ggml.scores").asList()))
                    .containsExactly(-1000f, -1000f, -1000f, 0f, 0f, 0f, 0f, 0f, 0f, -1f, -1000f, -1000f);
            assertThat(m).doesNotContainKey("tokenizer.ggml.merges");
            assertThat(m.get("tokenizer.ggml.bos_token_id").asLong()).isEqualTo(1);
            assertThat(m.get("tokenizer.ggml.eos_token_id").asLong()).isEqualTo(2);
            assertThat(m.get("tokenizer.ggml.unknown_token_id").asLong()).isEqualTo(0);
            assertThat(m).doesNotContainKey("tokenizer.ggml.padding_token_id");
            assertThat(m.get("tokenizer.ggml.add_bos_token").value()).isEqualTo(true);
            assertThat(m.get("tokenizer.ggml.add_eos_token").value()).isEqualTo(false);
            assertThat(m.get("tokenizer.chat_template").asString()).isEqualTo("{{ messages }}");
        }
    }

    /** Each GGUF row r of a [rows, 32] tensor holds HF row perm(r) (r itself without a permutation). */
    private static void checkRows(float[] values, int rows, RotaryPermutation perm) {
        assertThat(values).hasSize(rows * 32);
        for (int r = 0; r < rows; r++) {
            long src = perm == null ? r : perm.sourceRow(r);
            for (int c = 0; c < 32; c++) {
                assertThat(values[r * 32 + c]).as("row %d col %d", r, c).isEqualTo(TinyHfModel.value(src, c));
            }
        }
    }

    @Test
    void qwen2KeepsRowOrderHasBiasesAndAByteLevelVocabulary() throws IOException {
        Path model = TinyHfModel.write(dir.resolve("tiny-qwen"), "qwen2", false, true);
        Path out = export(model, GgufTensorType.Q8_0, Pattern.compile("ffn_down"));
        try (GgufFile f = GgufFile.open(out)) {
            Map<String, GgufValue> m = f.header().metadata();
            assertThat(m.get("general.architecture").asString()).isEqualTo("qwen2");
            assertThat(m.get("general.file_type").asLong()).isEqualTo(7);
            assertThat(m.get("tokenizer.ggml.model").asString()).isEqualTo("gpt2");
            assertThat(m.get("tokenizer.ggml.pre").asString()).isEqualTo("qwen2");
            assertThat(List.<Object>copyOf(m.get("tokenizer.ggml.merges").asList())).containsExactly("\u0120 a", "\u0120a b");
            assertThat(m).doesNotContainKey("tokenizer.ggml.scores");
            assertThat(List.<Object>copyOf(m.get("tokenizer.ggml.token_type").asList()))
                    .containsExactly(3L, 3L, 3L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 3L, 5L);
            assertThat(f.header().tensor("blk.0.attn_q.weight").orElseThrow().type()).isEqualTo(GgufTensorType.Q8_0);
            assertThat(f.header().tensor("blk.0.attn_q.bias").orElseThrow().type()).isEqualTo(GgufTensorType.F32);
            assertThat(f.header().tensor("blk.0.ffn_down.weight").orElseThrow().type()).isEqualTo(GgufTensorType.F16);
            assertThat(f.header().tensor("token_embd.weight").orElseThrow().type()).isEqualTo(GgufTensorType.Q8_0);
            // no permutation: row 9 of q keeps HF row 9 (a constant-ish row: 9 + c/64 quantized by one block scale)
            float[] q = f.tensor("blk.0.attn_q.weight").toFloatArray();
            float d = Float.float16ToFloat(Float.floatToFloat16(TinyHfModel.value(9, 31) / 127f));
            assertThat(q[9 * 32 + 31]).isEqualTo(127 * d);
            assertThat(f.tensor("blk.0.attn_q.bias").toFloatArray()).startsWith(0.5f, 0.625f);
        }
    }

    @Test
    void gemmaStoresNormsPlusOneAndDropsLmHead() throws IOException {
        Path model = TinyHfModel.write(dir.resolve("tiny-gemma"), "gemma", true, false);
        Path out = export(model, GgufTensorType.F16, null);
        try (GgufFile f = GgufFile.open(out)) {
            assertThat(f.header().tensor("output.weight")).isEmpty();
            // 0.5 + i/8 + 1, rounded to bf16 as torch adds in the source dtype: 1.5 + 31/8 = 5.375 is exact,
            float[] norm = f.tensor("output_norm.weight").toFloatArray();
            assertThat(norm[0]).isEqualTo(1.5f);
            assertThat(norm[31]).isEqualTo(Bf16.toFloat(Bf16.fromFloat(0.5f + 31 / 8f + 1f)));
            assertThat(f.header().metadata().get("general.architecture").asString()).isEqualTo("gemma");
            assertThat(f.header().metadata()).doesNotContainKey("gemma.rope.dimension_count");
        }
    }

    @Test
    void unsupportedArchitecturesAreRefusedWithTheSupportedOnes() throws IOException {
        Path model = TinyHfModel.write(dir.resolve("tiny-phi"), "phi3", true, false);
        try (ModelSource m = ModelSource.open(model)) {
            assertThatThrownBy(() -> GgufExport.of(m).write(dir.resolve("x.gguf"))).isInstanceOf(GgufException.class)
                    .hasMessage(model + ": unsupported architecture: \"phi3\" has no GGUF mapping in Graft; "
                            + "supported: llama, mistral, qwen2, gemma")
                    .satisfies(e -> assertThat(((GgufException) e).error()).isEqualTo(GgufError.UNSUPPORTED_ARCHITECTURE));
        }
        assertThat(dir.resolve("x.gguf")).doesNotExist();
    }
}
