package dev.graft.cli.export;

import dev.graft.cli.Cli;
import dev.graft.formats.gguf.GgufFile;
import dev.graft.formats.gguf.GgufTensorType;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyLlama;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** graft export gguf, and GGUF files as inputs to inspect, diff and merge. */
class GgufCommandsTest {
    @TempDir
    Path dir;

    private FineTuneFamily.Folders family() {
        // hidden 32: rows are whole Q8_0 blocks
        return FineTuneFamily.of(TinyLlama.builder().layers(1).hidden(32).intermediate(64).vocab(32).heads(4)
                .seed(5).build()).fineTunes(1).seed(6).writeTo(dir.resolve("family"));
    }

    @Test
    void exportInspectDiffAndMergeGguf() throws Exception {
        FineTuneFamily.Folders f = family();
        Path base = dir.resolve("base.gguf");
        Cli.Result r = Cli.graft("export", "gguf", f.base().toString(), "-o", base.toString(), "--type", "q8_0",
                "--name", "tiny");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Exported 12 tensors (").contains("into " + base);
        assertThat(r.err()).contains("graft: note: no tokenizer.json or vocab.json beside the model");
        try (GgufFile g = GgufFile.open(base)) {
            assertThat(g.header().get("general.name").orElseThrow().asString()).isEqualTo("tiny");
            assertThat(g.header().tensor("blk.0.attn_q.weight").orElseThrow().type()).isEqualTo(GgufTensorType.Q8_0);
            assertThat(g.header().tensor("blk.0.attn_norm.weight").orElseThrow().type()).isEqualTo(GgufTensorType.F32);
        }

        Cli.Result inspect = Cli.graft("inspect", base.toString(), "--filter", "attn_q");
        assertThat(inspect.code()).as(inspect.err()).isZero();
        assertThat(inspect.out()).startsWith(base + ": GGUF v3, 12 tensors, ")
                .contains("general.architecture", "STRING", "\"llama\"")
                .contains("Size by type:\n  F32     384 B  3 tensors\n  Q8_0  13.1 kB  9 tensors\n")
                .endsWith("Tensors:\n  blk.0.attn_q.weight  Q8_0  [32, 32]  1.09 kB  @2304\n")
                .doesNotContain("blk.0.attn_k.weight");
        Cli.Result json = Cli.graft("inspect", base.toString(), "--json", "--no-tensors");
        assertThat(json.out()).contains("\"format\": \"gguf\"", "\"Q8_0\": 13056", """
                "general.file_type": {
                  "type": "UINT32",
                  "value": 7
                },""".indent(4));

        Path tuned = dir.resolve("tuned.gguf");
        assertThat(Cli.graft("export", "gguf", f.fineTunes().getFirst().toString(), "-o", tuned.toString(),
                "-t", "q8_0").code()).isZero();
        Cli.Result diff = Cli.graft("diff", base.toString(), tuned.toString(), "--top", "1");
        assertThat(diff.code()).as(diff.err()).isZero();
        assertThat(diff.out()).contains("Compared    12 tensors with the same name and shape");

        Path merged = dir.resolve("merged.safetensors");
        Cli.Result merge = Cli.graft("merge", "linear", base.toString(), tuned.toString(), "-o", merged.toString());
        assertThat(merge.code()).as(merge.err()).isZero();
        assertThat(merge.err()).contains(base + " has 9 quantized tensor(s) (blk.0.attn_k.weight …), read dequantized: "
                + "merging them merges their quantization error");
        assertThat(Files.exists(merged)).isTrue();
    }

    @Test
    void aGgufFileMergesWithHuggingFaceFoldersUnderTheirNames() throws Exception {
        FineTuneFamily.Folders f = family();
        Path tuned = dir.resolve("tuned.gguf");
        Cli.Result e = Cli.graft("export", "gguf", f.fineTunes().getFirst().toString(), "-o", tuned.toString());
        assertThat(e.code()).as(e.err()).isZero();
        Path fromGguf = dir.resolve("from-gguf.safetensors");
        Cli.Result m = Cli.graft("merge", "linear", f.base().toString(), tuned.toString(), "-o", fromGguf.toString(),
                "-q");
        assertThat(m.code()).as(m.err()).isZero();
        assertThat(m.err()).isEmpty();
        Path fromFolders = dir.resolve("from-folders.safetensors");
        Cli.Result h = Cli.graft("merge", "linear", f.base().toString(), f.fineTunes().getFirst().toString(), "-o",
                fromFolders.toString(), "-q");
        assertThat(h.code()).as(h.err()).isZero();
        // bf16 weights come back bit for bit and the q/k rows in Hugging Face order: the same merge, byte for byte
        assertThat(Files.readAllBytes(fromGguf)).isEqualTo(Files.readAllBytes(fromFolders));
    }

    @Test
    void refusalsAreOneLine() {
        FineTuneFamily.Folders f = family();
        Cli.Result bad = Cli.graft("export", "gguf", f.base().toString(), "-o", dir.resolve("x.gguf").toString(),
                "--type", "q5_k");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("graft: Invalid value for option '--type': 'q5_k' is not a type Graft "
                + "writes: f32, f16, bf16, q8_0, q4_0, q4_k, q6_k");
        Cli.Result missing = Cli.graft("export");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("graft: missing format (gguf)");
    }
}
