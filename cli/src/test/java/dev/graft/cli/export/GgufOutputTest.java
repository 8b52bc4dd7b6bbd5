package dev.graft.cli.export;

import dev.graft.cli.Cli;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyLlama;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code -o x.gguf} on the commands that write a model: the bytes of writing the folder, then exporting it. */
class GgufOutputTest {
    @TempDir
    Path dir;

    private FineTuneFamily.Folders family() {
        // hidden 32, 4 heads: rows are whole Q8_0 blocks and q/k rows are permuted
        return FineTuneFamily.of(TinyLlama.builder().layers(1).hidden(32).intermediate(64).vocab(32).heads(4)
                .seed(5).build()).fineTunes(2).seed(6).writeTo(dir.resolve("family"));
    }

    /** Runs {@code command... -o folder/m}, exports that folder, and returns the GGUF file's path. */
    private Path viaFolder(String... command) {
        Path folder = dir.resolve("via-folder").resolve("m");
        Cli.Result r = Cli.graft(with(command, "-o", folder.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        Path gguf = dir.resolve("via-folder-export").resolve("m.gguf");
        Cli.Result e = Cli.graft("export", "gguf", folder.toString(), "-o", gguf.toString());
        assertThat(e.code()).as(e.err()).isZero();
        return gguf;
    }

    private Path direct(String... command) {
        Path gguf = dir.resolve("direct").resolve("m.gguf");
        Cli.Result r = Cli.graft(with(command, "-o", gguf.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(gguf.toString());
        return gguf;
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
        Path direct = direct(merge);
        Path exported = viaFolder(merge);
        assertThat(Files.readAllBytes(direct)).isEqualTo(Files.readAllBytes(exported));
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
        assertThat(Files.readAllBytes(direct(merge))).isEqualTo(Files.readAllBytes(viaFolder(merge)));
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
        assertThat(Files.readAllBytes(direct(run))).isEqualTo(Files.readAllBytes(viaFolder(run)));
    }

    @Test
    void loraApplyToGgufEqualsTheExport() throws Exception {
        FineTuneFamily.Folders f = family();
        Path adapter = dir.resolve("adapter");
        Cli.Result e = Cli.graft("extract", f.base().toString(), f.fineTunes().getFirst().toString(), "--rank", "2",
                "-o", adapter.toString());
        assertThat(e.code()).as(e.err()).isZero();
        String[] apply = {"lora", "apply", f.base().toString(), adapter.toString()};
        assertThat(Files.readAllBytes(direct(apply))).isEqualTo(Files.readAllBytes(viaFolder(apply)));
    }

    @Test
    void decompressToGgufEqualsTheExport() throws Exception {
        FineTuneFamily.Folders f = family();
        Path delta = dir.resolve("d.safetensors");
        Cli.Result c = Cli.graft("compress", "bitdelta", f.base().toString(), f.fineTunes().getFirst().toString(),
                "-o", delta.toString(), "-q");
        assertThat(c.code()).as(c.err()).isZero();
        String[] decompress = {"decompress", f.base().toString(), delta.toString(), "-q"};
        assertThat(Files.readAllBytes(direct(decompress))).isEqualTo(Files.readAllBytes(viaFolder(decompress)));
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
