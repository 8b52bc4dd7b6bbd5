package dev.graft.cli;

import dev.graft.cli.Cli.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.graft.cli.Cli.graft;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 18 as a user meets it: no command deletes or overwrites an input, and no NaN gets through. */
class OutputSafetyTest {
    @TempDir
    Path dir;

    private Path base;
    private Path ft1;
    private Path ft2;

    private static Path vectors() {
        return Path.of(System.getProperty("graft.testdata", "../testdata")).toAbsolutePath().normalize()
                .resolve("vectors/merge/models");
    }

    @BeforeEach
    void copyModels() throws IOException {
        for (String m : List.of("base", "ft1", "ft2")) {
            Path to = Files.createDirectories(dir.resolve(m));
            try (Stream<Path> files = Files.list(vectors().resolve(m))) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        base = dir.resolve("base");
        ft1 = dir.resolve("ft1");
        ft2 = dir.resolve("ft2");
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Files.createDirectories(dir.resolve("runs"));
        Files.writeString(dir.resolve("runs/1.json"), "{}");
    }

    /** Every file under {@code dir} with its bytes' hash: what must survive a refused command unchanged. */
    private Map<String, Integer> tree() throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), java.util.Arrays.hashCode(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private Result ties(String... rest) {
        List<String> args = new ArrayList<>(List.of("merge", "ties", ft1.toString(), ft2.toString(), "--base",
                base.toString(), "--weight", "1", "--density", "0.5", "-q"));
        args.addAll(List.of(rest));
        return graft(args.toArray(String[]::new));
    }

    @Test
    void forceIntoTheFolderOfTheInputsDeletesNothing() throws IOException {
        Map<String, Integer> before = tree();
        Result r = ties("--force", "-o", dir.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + dir + ": the output folder contains the input " + base
                + "; choose an output path that holds no input (--force never replaces an input)\n");
        Path dotDot = dir.resolve("runs/..");
        Result up = ties("--force", "-o", dotDot.toString());
        assertThat(up.code()).isEqualTo(1);
        assertThat(up.err()).isEqualTo("graft: " + dotDot + ": the output folder (" + dir + ") contains the input "
                + base + "; choose an output path that holds no input (--force never replaces an input)\n");
        Result extract = graft("extract", base.toString(), ft1.toString(), "--rank", "2", "--force", "-o",
                dir.toString(), "-q");
        assertThat(extract.code()).isEqualTo(1);
        assertThat(extract.err()).startsWith("graft: " + dir + ": the output folder contains the input " + base);
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void anInputIsNeverTheOutput() throws IOException {
        Map<String, Integer> before = tree();
        Path weights = ft1.resolve("model.safetensors");
        Result merge = graft("merge", "ties", weights.toString(), ft2.toString(), "--base", base.toString(),
                "--weight", "1", "--force", "-o", weights.toString());
        assertThat(merge.err()).isEqualTo("graft: " + weights + ": the output is the input " + weights
                + "; choose another output path (--force never replaces an input)\n");
        Result compress = graft("compress", "bitdelta", base.toString(), ft1.toString(), "--force", "-o",
                weights.toString());
        assertThat(compress.code()).isEqualTo(1);
        assertThat(compress.err()).isEqualTo("graft: " + weights + ": the output lies inside the input folder "
                + ft1 + "; write it outside the input\n");
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void aSymlinkedOutputPointingIntoAnInputIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("latest"), ft1);
        Map<String, Integer> before = tree();
        Result r = ties("--force", "-o", link.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + link + ": the output (" + ft1 + ") is the input " + ft1
                + "; choose another output path (--force never replaces an input)\n");
        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void forceReplacesAPreviousOutputButNeverFilesGraftDidNotWrite() throws IOException {
        Path out = dir.resolve("merged");
        assertThat(ties("-o", out.toString()).code()).isZero();
        assertThat(ties("--force", "-o", out.toString()).code()).isZero();
        Files.writeString(out.resolve("eval-notes.md"), "my results");
        Result r = ties("--force", "-o", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + out + ": holds eval-notes.md, which Graft did not write; --force "
                + "replaces only the files of a previous Graft output: move it away or choose another output path\n");
        assertThat(out.resolve("eval-notes.md")).hasContent("my results");
        assertThat(out.resolve("model.safetensors")).exists();
    }

    /** Every option of type double or float, in every command, refuses NaN and infinities by name. */
    @Test
    void everyNumericFlagRefusesNonFiniteValues() {
        List<String[]> tried = new ArrayList<>();
        collect(Main.commandLine().getCommandSpec(), new ArrayList<>(), tried);
        assertThat(tried.stream().map(t -> String.join(" ", t)))
                .contains("merge --weight", "merge --density", "merge --lambda", "merge --t", "merge --gamma",
                        "merge --epsilon", "lora apply --weight", "lora combine --weight");
        for (String[] t : tried) {
            for (String bad : List.of("NaN", "Infinity", "-Infinity")) {
                List<String> args = new ArrayList<>(List.of(t));
                args.add(bad);
                Result r = graft(args.toArray(String[]::new));
                String flag = t[t.length - 1];
                assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
                assertThat(r.err()).as(String.join(" ", args)).startsWith("graft: Invalid value for option '" + flag
                        + "'").contains("'" + bad + "' is not a finite number");
            }
        }
        Result lines = ties("--lines", "0.5,NaN", "-o", dir.resolve("x").toString());
        assertThat(lines.err()).startsWith("graft: --lines: 'NaN' is not a finite number\n");
        Result alpha = graft("compress", "compeft", base.toString(), ft1.toString(), "--alpha", "NaN", "-o",
                dir.resolve("x.delta.safetensors").toString());
        assertThat(alpha.err()).startsWith("graft: --alpha: 'NaN' is not a finite number or 'auto'\n");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    private static void collect(CommandSpec spec, List<String> path, List<String[]> out) {
        for (OptionSpec o : spec.options()) {
            Class<?> t = o.type();
            Class<?>[] aux = o.auxiliaryTypes();
            boolean number = t == double.class || t == Double.class || t == float.class || t == Float.class
                    || (aux.length == 1 && (aux[0] == Double.class || aux[0] == Float.class));
            if (number) {
                List<String> args = new ArrayList<>(path);
                args.add(o.longestName());
                out.add(args.toArray(String[]::new));
            }
        }
        for (Map.Entry<String, CommandLine> sub : spec.subcommands().entrySet()) {
            if (sub.getValue().getCommandSpec().name().equals(sub.getKey())) {
                List<String> p = new ArrayList<>(path);
                p.add(sub.getKey());
                collect(sub.getValue().getCommandSpec(), p, out);
            }
        }
    }

    @Test
    void aRecipeWithNaNNamesEveryKey() throws IOException {
        Path recipe = dir.resolve("nan.yml");
        Files.writeString(recipe, "merge_method: ties\nbase_model: " + base + "\nmodels:\n  - model: " + ft1
                + "\n    parameters: {weight: \"NaN\", density: 0.5}\n  - model: " + ft2
                + "\n    parameters: {weight: 1, density: 0.5}\nparameters:\n  lambda: \"Infinity\"\n");
        Result r = graft("run", recipe.toString(), "-o", dir.resolve("out").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("must be a finite number, got NaN", "must be a finite number, got Infinity");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    /** Writes a NaN and a −Inf into the first and fourth elements of ft1's bf16 {@code name}, in place. */
    private void poisonFt1(String name) throws IOException {
        Path weights = ft1.resolve("model.safetensors");
        byte[] b = Files.readAllBytes(weights);
        long headerLength = java.nio.ByteBuffer.wrap(b, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(b, 8, (int) headerLength, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(header).contains("\"" + name + "\":{\"dtype\":\"BF16\"");
        int at = header.indexOf("\"" + name + "\"");
        String offsets = header.substring(header.indexOf("data_offsets\":[", at) + 15);
        int start = Integer.parseInt(offsets.substring(0, offsets.indexOf(',')));
        int data = 8 + (int) headerLength + start;
        b[data] = (byte) 0xc0; // bf16 0x7fc0: NaN
        b[data + 1] = 0x7f;
        b[data + 6] = (byte) 0x80; // bf16 0xff80: -Inf
        b[data + 7] = (byte) 0xff;
        Files.write(weights, b);
    }

    @Test
    void anSvdMergeRefusesANonFiniteTaskVectorEvenWhenAllowedAndPublishesNothing() throws IOException {
        String name = "model.layers.0.mlp.down_proj.weight";
        poisonFt1(name);
        Path out = dir.resolve("tsv.safetensors");
        String refused = "graft: tsv cannot merge tensor " + name + ": the task vector of " + ft1 + " holds 2 "
                + "non-finite values (NaN or ±Inf, in the model or its difference from the base), and an SVD of it "
                + "is undefined; nothing was written\n";
        // --allow-nonfinite does not help: no SVD can factor a matrix holding them.
        for (List<String> allow : List.of(List.<String>of(), List.of("--allow-nonfinite"))) {
            List<String> args = new java.util.ArrayList<>(List.of("merge", "tsv", ft1.toString(), ft2.toString(),
                    "--base", base.toString(), "-q", "-o", out.toString()));
            args.addAll(allow);
            Result r = graft(args.toArray(String[]::new));
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).isEqualTo(refused);
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void aNaNInAFineTuneIsReportedAndRefusedUnlessAllowed() throws IOException {
        String name = "model.layers.0.mlp.down_proj.weight";
        poisonFt1(name);

        Path out = dir.resolve("m.safetensors");
        Result r = ties("-o", out.toString());
        assertThat(r.code()).isEqualTo(1);
        String refused = "graft: " + ft1 + ": tensor \"" + name + "\" holds 2 non-finite values (NaN or ±Inf), "
                + "which would spread to everything computed from it; nothing was written (--allow-nonfinite goes "
                + "on anyway)\n";
        assertThat(r.err()).isEqualTo(refused);
        assertThat(out).doesNotExist();
        Path delta = dir.resolve("ft1.delta.safetensors");
        Result compress = graft("compress", "bitdelta", base.toString(), ft1.toString(), "-q", "-o", delta.toString());
        assertThat(compress.err()).isEqualTo(refused);
        Path adapter = dir.resolve("lora");
        Result extract = graft("extract", base.toString(), ft1.toString(), "--rank", "2", "-q", "-o",
                adapter.toString());
        assertThat(extract.err()).isEqualTo(refused.replace("--allow-nonfinite goes on anyway",
                "no SVD can factor a matrix holding them"));
        assertThat(delta).doesNotExist();
        assertThat(adapter).doesNotExist();
        assertThat(graft("compress", "bitdelta", base.toString(), ft1.toString(), "-q", "--allow-nonfinite", "-o",
                delta.toString()).code()).isZero();
        Path lora = dir.resolve("lora2");
        assertThat(graft("extract", base.toString(), ft2.toString(), "--rank", "2", "-q", "-o", lora.toString())
                .code()).isZero();
        Path applied = dir.resolve("applied");
        Result apply = graft("lora", "apply", ft1.toString(), lora.toString(), "-q", "-o", applied.toString());
        assertThat(apply.err()).isEqualTo(refused);
        assertThat(applied).doesNotExist();
        Result allowed = ties("--allow-nonfinite", "-o", out.toString());
        assertThat(allowed.code()).as(allowed.err()).isZero();
        assertThat(out).exists();
    }

    @Test
    void aMergeThatOverflowsFromFiniteInputsIsNotPublished() {
        Path out = dir.resolve("m.safetensors");
        Result r = graft("merge", "linear", ft1.toString(), ft2.toString(), "--weight", "3e38", "--no-normalize",
                "-q", "-o", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("graft: " + out + ": the linear merge of tensor \"")
                .contains(" non-finite values from finite inputs (do the weights or parameters overflow float32?); "
                        + "nothing was written\n");
        assertThat(out).doesNotExist();
    }

    @Test
    void aMergeThatCannotFitFailsBeforeAnyWork() {
        Path out = dir.resolve("merged");
        dev.graft.formats.io.FreeSpace.useProbe(p -> 50_000);
        try {
            Result r = ties("-o", out.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("graft: " + out + ": needs 185 kB but its file system has 50 kB free; free "
                    + "some space or write elsewhere\n");
        } finally {
            dev.graft.formats.io.FreeSpace.useProbe(null);
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("base", "ft1", "ft2", "notes.txt", "runs");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
