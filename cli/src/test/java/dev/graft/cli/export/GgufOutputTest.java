package dev.graft.cli.export;

import dev.graft.cli.Cli;
import dev.graft.formats.gguf.GgufFile;
import dev.graft.formats.gguf.GgufTensorInfo;
import dev.graft.formats.gguf.GgufTensorType;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyLlama;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code -o x.gguf} on the commands that write a model: the bytes of writing the folder, then exporting it, with
 * and without {@code --type} / {@code --keep-f16}.
 */
class GgufOutputTest {
    @TempDir
    Path dir;

    private FineTuneFamily.Folders family() {
        // hidden 32, 4 heads: rows are whole Q8_0 blocks and q/k rows are permuted
        return FineTuneFamily.of(TinyLlama.builder().layers(1).hidden(32).intermediate(64).vocab(32).heads(4)
                .seed(5).build()).fineTunes(2).seed(6).writeTo(dir.resolve("family"));
    }

    /** {@code --type} and {@code --keep-f16}, as every command writing a model takes them for a .gguf output. */
    private static final String[] TYPES = {"--type", "q8_0", "--keep-f16", "token_embd"};
    private int outputs;

    /**
     * Runs {@code command... -o folder/m}, exports that folder with {@code exportOptions}, and returns the GGUF file's
     * path.
     */
    private Path viaFolder(String[] command, String... exportOptions) {
        Path base = dir.resolve("via-folder-" + ++outputs);
        Path folder = base.resolve("m");
        Cli.Result r = Cli.graft(with(command, "-o", folder.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        Path gguf = base.resolve("export").resolve("m.gguf");
        Cli.Result e = Cli.graft(with(new String[] {"export", "gguf", folder.toString(), "-o", gguf.toString()},
                exportOptions));
        assertThat(e.code()).as(e.err()).isZero();
        return gguf;
    }

    private Path direct(String[] command, String... options) {
        Path gguf = dir.resolve("direct-" + ++outputs).resolve("m.gguf");
        Cli.Result r = Cli.graft(with(with(command, "-o", gguf.toString()), options));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(gguf.toString());
        return gguf;
    }

    /**
     * {@code command -o x.gguf} writes the bytes of {@code command -o folder} then {@code export gguf} of it: in the
     * model's own types, and with {@link #TYPES} given to each (then the blocks are Q8_0 and the embedding F16).
     *
     * @return the file written with {@link #TYPES}
     */
    private Path assertDirectEqualsExport(String... command) throws Exception {
        assertThat(Files.readAllBytes(direct(command))).isEqualTo(Files.readAllBytes(viaFolder(command)));
        Path typed = direct(command, TYPES);
        assertThat(Files.readAllBytes(typed)).isEqualTo(Files.readAllBytes(viaFolder(command, TYPES)));
        try (GgufFile g = GgufFile.open(typed)) {
            java.util.Map<String, GgufTensorType> types = new java.util.TreeMap<>();
            for (GgufTensorInfo t : g.header().tensors()) {
                types.put(t.name(), t.type());
            }
            assertThat(types).containsEntry("token_embd.weight", GgufTensorType.F16)
                    .containsEntry("blk.0.attn_q.weight", GgufTensorType.Q8_0)
                    .containsEntry("blk.0.ffn_down.weight", GgufTensorType.Q8_0)
                    .containsEntry("blk.0.attn_norm.weight", GgufTensorType.F32);
            assertThat(g.header().get("general.file_type").orElseThrow().value()).isEqualTo(7L);
        }
        return typed;
    }

    private static String[] with(String[] command, String... more) {
        String[] all = java.util.Arrays.copyOf(command, command.length + more.length);
        System.arraycopy(more, 0, all, command.length, more.length);
        return all;
    }

    @Test
    void mergeToGgufEqualsMergeToFolderThenExport() throws Exception {
        FineTuneFamily.Folders f = family();
        String[] merge = {"merge", "ties", f.fineTunes().get(0).toString(), f.fineTunes().get(1).toString(),
                "--base", f.base().toString(), "--density", "0.5"};
        Path direct = assertDirectEqualsExport(merge);
        // no temp file or side folder left beside the output
        try (var files = Files.list(direct.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("m.gguf");
        }
    }

    @Test
    void passthroughMergeToGgufEqualsTheExport() throws Exception {
        FineTuneFamily.Folders f = family();
        String[] merge = {"merge", "linear", f.base().toString(), f.fineTunes().getFirst().toString(),
                "--weight", "1,0"};
        assertDirectEqualsExport(merge);
    }

    @Test
    void runOfARecipeToGgufEqualsTheExport() throws Exception {
        FineTuneFamily.Folders f = family();
        Path recipe = dir.resolve("r.yml");
        Files.writeString(recipe, """
                merge_method: task_arithmetic
                base_model: %s
                models:
                  - model: %s
                    parameters: {weight: 0.7}
                  - model: %s
                    parameters: {weight: 0.4}
                """.formatted(f.base(), f.fineTunes().get(0), f.fineTunes().get(1)));
        String[] run = {"run", recipe.toString()};
        assertDirectEqualsExport(run);
    }

    @Test
    void loraApplyToGgufEqualsTheExport() throws Exception {
        FineTuneFamily.Folders f = family();
        Path adapter = dir.resolve("adapter");
        Cli.Result e = Cli.graft("extract", f.base().toString(), f.fineTunes().getFirst().toString(), "--rank", "2",
                "-o", adapter.toString());
        assertThat(e.code()).as(e.err()).isZero();
        String[] apply = {"lora", "apply", f.base().toString(), adapter.toString()};
        assertDirectEqualsExport(apply);
    }

    @Test
    void decompressToGgufEqualsTheExport() throws Exception {
        FineTuneFamily.Folders f = family();
        Path delta = dir.resolve("d.safetensors");
        Cli.Result c = Cli.graft("compress", "bitdelta", f.base().toString(), f.fineTunes().getFirst().toString(),
                "-o", delta.toString(), "-q");
        assertThat(c.code()).as(c.err()).isZero();
        String[] decompress = {"decompress", f.base().toString(), delta.toString(), "-q"};
        assertDirectEqualsExport(decompress);
    }

    @Test
    void typesForAnOutputThatIsNotGgufAreRefusedBeforeAnyWork() throws Exception {
        FineTuneFamily.Folders f = family();
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        String ft = f.fineTunes().getFirst().toString();
        Path delta = dir.resolve("d.safetensors");
        assertThat(Cli.graft("compress", "bitdelta", f.base().toString(), ft, "-o", delta.toString(), "-q").code())
                .isZero();
        for (String[] command : java.util.List.of(
                new String[] {"merge", "linear", f.base().toString(), ft, "--type", "q8_0", "-o"},
                new String[] {"lora", "apply", f.base().toString(), ft, "--keep-f16", "x", "-o"},
                new String[] {"decompress", f.base().toString(), delta.toString(), "--type", "f16", "-o"})) {
            for (String target : java.util.List.of("m.safetensors", "m")) {
                Path o = out.resolve(target);
                Cli.Result r = Cli.graft(with(command, o.toString()));
                assertThat(r.code()).as(String.join(" ", command)).isEqualTo(2);
                assertThat(r.err()).as(String.join(" ", command)).startsWith("graft: "
                        + (command[command.length - 3].equals("--keep-f16") ? "--keep-f16" : "--type")
                        + " is for a .gguf output, not " + o + " (other outputs keep their tensors' dtypes)\n");
            }
        }
        try (var files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anArchitectureWithoutGgufMappingIsRefusedBeforeAnyWork() throws Exception {
        FineTuneFamily.Folders f = family();
        for (Path m : java.util.List.of(f.base(), f.fineTunes().getFirst())) {
            Path config = m.resolve("config.json");
            Files.writeString(config, Files.readString(config).replaceFirst(Pattern.quote("\"llama\""), "\"gpt_neox\""));
        }
        Path out = dir.resolve("out").resolve("m.gguf");
        Files.createDirectories(out.getParent());
        Cli.Result r = Cli.graft("merge", "linear", f.base().toString(), f.fineTunes().getFirst().toString(), "-o",
                out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + out + ": unsupported architecture: \"gpt_neox\" has no GGUF "
                + "mapping in Graft; supported: llama, mistral, qwen2, gemma\n");
        try (var files = Files.list(out.getParent())) {
            assertThat(files).isEmpty();
        }
    }
}
