package dev.graft.cli.merge;

import dev.graft.cli.Cli.Result;
import dev.graft.formats.peft.PeftAdapter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.graft.cli.Cli.graft;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code MODEL+ADAPTER} on the command line of {@code graft merge} and {@code graft run}. */
class ModelPlusLoraCommandTest {
    @TempDir
    Path dir;

    private static Path reference(String name) {
        return Path.of(System.getProperty("graft.testdata", "../testdata")).toAbsolutePath().normalize()
                .resolve("vectors/merge/models").resolve(name);
    }

    /** base, ft1, ft2 of the reference family (bf16), and lora: ft3's changes extracted at rank 2. */
    @BeforeEach
    void models() throws IOException {
        for (String m : List.of("base", "ft1", "ft2")) {
            Files.createDirectories(dir.resolve(m));
            for (String f : List.of("model.safetensors", "config.json")) {
                Files.copy(reference(m).resolve(f), dir.resolve(m).resolve(f));
            }
        }
        Result r = graft("extract", reference("base").toString(), reference("ft3").toString(), "--rank", "2", "-q",
                "-o", path("lora"));
        assertThat(r.code()).as(r.err()).isZero();
    }

    private String path(String name) {
        return dir.resolve(name).toString();
    }

    /** {@code graft ARGS} in a process of its own whose working folder is the test's, as a user types it there. */
    private Result inDir(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.graft.cli.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void mergesAModelWithItsAdapterAsTheAppliedModel() throws Exception {
        Result r = inDir("merge", "ties", "./ft1+./lora", "./ft2", "--base", "./base", "-q", "-o", "./with-lora");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Merged 30 tensors (185 kB) with ties into " + dir.resolve("with-lora") + " in ");

        assertThat(graft("lora", "apply", path("ft1"), path("lora"), "-q", "-o", path("applied")).code()).isZero();
        assertThat(graft("merge", "ties", path("applied"), path("ft2"), "--base", path("base"), "-q", "-o",
                path("via-applied")).code()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("with-lora/model.safetensors")))
                .isEqualTo(Files.readAllBytes(dir.resolve("via-applied/model.safetensors")));
        // the recipe it records runs again to the same tensors
        assertThat(Files.readString(dir.resolve("with-lora/graft_recipe.yml"))).isEqualTo("""
                merge_method: ties
                base_model: ./base
                models:
                  - model: ./ft1+./lora
                    parameters:
                      weight: 1.0
                  - model: ./ft2
                    parameters:
                      weight: 1.0
                """);
        Result again = inDir("run", "with-lora/graft_recipe.yml", "-q", "-o", "again.safetensors");
        assertThat(again.err()).isEmpty();
        assertThat(again.code()).isZero();
        try (var merged = dev.graft.formats.model.ModelSource.open(dir.resolve("with-lora"));
             var rerun = dev.graft.formats.model.ModelSource.open(dir.resolve("again.safetensors"))) {
            for (var spec : merged.tensors()) {
                assertThat(rerun.tensor(spec.name()).toFloatArray()).as(spec.name())
                        .containsExactly(merged.tensor(spec.name()).toFloatArray());
            }
        }
    }

    @Test
    void aBaseWithAnAdapterAndTheDryRunSayWhereEachModelIsReadFrom() {
        String base = path("base") + "+" + path("lora");
        Result r = graft("merge", "task_arithmetic", path("ft1"), "--base", base, "--weight", "0.5", "--dry-run",
                "-o", path("never"));
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Models      " + base + "  (base)\n            " + path("ft1") + "\n");
        assertThat(r.code()).isZero();
        assertThat(dir.resolve("never")).doesNotExist();

        assertThat(graft("merge", "task_arithmetic", path("ft1"), "--base", base, "--weight", "0.5", "-q", "-o",
                path("a.safetensors")).code()).isZero();
        assertThat(graft("lora", "apply", path("base"), path("lora"), "-q", "-o", path("base-lora")).code()).isZero();
        assertThat(graft("merge", "task_arithmetic", path("ft1"), "--base", path("base-lora"), "--weight", "0.5", "-q",
                "-o", path("b.safetensors")).code()).isZero();
        assertThat(dir.resolve("a.safetensors")).hasSameBinaryContentAs(dir.resolve("b.safetensors"));
    }

    @Test
    void aWrongAdapterIsRefusedBeforeAnyWork() throws IOException {
        Path other = dir.resolve("other-lora");
        Files.createDirectories(other);
        // the adapter with layer 0's q_proj renamed to a module the model lacks (same length: offsets unchanged)
        Files.writeString(other.resolve("adapter_config.json"), Files.readString(dir.resolve("lora/adapter_config.json")));
        byte[] weights = Files.readAllBytes(dir.resolve("lora").resolve(PeftAdapter.WEIGHTS_FILE));
        String text = new String(weights, StandardCharsets.ISO_8859_1).replace("model.layers.0.self_attn.q_proj",
                "model.layers.0.self_attn.x_proj");
        Files.write(other.resolve(PeftAdapter.WEIGHTS_FILE), text.getBytes(StandardCharsets.ISO_8859_1));
        Result r = graft("merge", "ties", path("ft1") + "+" + other, path("ft2"), "--base", path("base"), "-o",
                path("never"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + other.resolve(PeftAdapter.WEIGHTS_FILE) + ": module "
                + "\"model.layers.0.self_attn.x_proj\" adapts tensor \"model.layers.0.self_attn.x_proj.weight\", which "
                + "the model " + path("ft1") + " does not have\n");
        assertThat(dir.resolve("never")).doesNotExist();

        Result missing = graft("merge", "ties", path("ft1") + "+" + path("nosuch"), "--base", path("base"), "-o",
                path("never"));
        assertThat(missing.err()).isEqualTo("graft: " + path("nosuch") + ": no such folder\n");
    }

    @Test
    void theOutputMayNotGoInsideTheAdapter() {
        Result r = graft("merge", "ties", path("ft1") + "+" + path("lora"), path("ft2"), "--base", path("base"), "-o",
                path("lora/merged"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + path("lora/merged") + ": the output lies inside the input folder "
                + path("lora") + "; write it outside the input\n");
        assertThat(dir.resolve("lora/merged")).doesNotExist();
    }

    @Test
    void aPathWithAPlusIsAModelWhenItExistsAndOtherwiseOnePlusIsAllowed() throws IOException {
        Path plus = dir.resolve("ft1+v2");
        Files.move(dir.resolve("ft1"), plus);
        Result r = graft("merge", "linear", plus.toString(), path("ft2"), "-q", "-o", path("m.safetensors"));
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();

        Result twice = graft("merge", "linear", "a+b+c", path("ft2"), "-o", path("x"));
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).startsWith("graft: MODEL a+b+c: more than one '+'; write MODEL+ADAPTER\n");
        Result empty = graft("merge", "linear", path("ft2"), "--base", "nothing+", "-o", path("x"));
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).startsWith("graft: --base nothing+: nothing after '+'; write MODEL+ADAPTER\n");
    }
}
