package dev.graft.cli.merge;

import dev.graft.cli.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.graft.cli.Cli.graft;
import static org.assertj.core.api.Assertions.assertThat;

class MergeCommandTest {
    @TempDir
    Path dir;

    private static Path vectors() {
        return Path.of(System.getProperty("graft.testdata", "../testdata")).toAbsolutePath().normalize()
                .resolve("vectors/merge");
    }

    private static Path model(String name) {
        return vectors().resolve("models").resolve(name);
    }

    @Test
    void mergesIntoAFileAndReportsIt() {
        Path out = dir.resolve("m.safetensors");
        Result r = graft("merge", "ties", model("ft1").toString(), model("ft2").toString(), "--base",
                model("base").toString(), "--weight", "1", "--density", "0.2,0.3", "--dtype", "float32", "--out-dtype", "bfloat16",
                "-o", out.toString(), "-q");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).matches("Merged 30 tensors \\(185 kB\\) with ties into " + java.util.regex.Pattern.quote(
                out.toAbsolutePath().toString()) + " in [0-9.]+ s\\n");
        assertThat(Files.exists(out)).isTrue();
    }

    @Test
    void refusesToOverwriteWithoutForce() throws Exception {
        Path out = dir.resolve("m.safetensors");
        Files.writeString(out, "keep me");
        Result r = graft("merge", "linear", model("ft1").toString(), model("ft2").toString(), "--weight", "1",
                "-o", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + out + ": already exists; use --force to replace it\n");
        assertThat(Files.readString(out)).isEqualTo("keep me");
        Result forced = graft("merge", "linear", model("ft1").toString(), model("ft2").toString(), "--weight", "1",
                "-o", out.toString(), "--force", "-q");
        assertThat(forced.code()).isZero();
        assertThat(Files.size(out)).isEqualTo(188_072L);
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing() {
        Path out = dir.resolve("never");
        Result r = graft("merge", "task_arithmetic", model("ft1").toString(), "--base", model("base").toString(),
                "--weight", "0.5", "--lines", "0.4,0.6", "--dry-run", "-o", out.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Method      task_arithmetic (Ilharco et al., Editing models with task "
                + "arithmetic, ICLR 2023, arXiv:2212.04089)\n"
                + "Models      " + model("base") + "  (base)\n"
                + "            " + model("ft1") + "\n"
                + "Tensors     30 (30 merged, 0 copied)\n"
                + "Output      185 kB of tensor data\n");
        // LiNeS: block 1 of 3 gets 0.4 + 0.6·1/2 = 0.7; block 2 gets 1.0, the identity, not shown.
        assertThat(r.out()).contains("\n  model.layers.1.mlp.up_proj.weight               BF16 [128, 48]  normalize=false "
                + "rescale=false lambda=1.0 int8_mask=false " + model("ft1") + "{weight=0.5} lines_scale=0.7000\n");
        assertThat(r.out()).contains("\n  model.layers.2.mlp.up_proj.weight               BF16 [128, 48]  normalize=false "
                + "rescale=false lambda=1.0 int8_mask=false " + model("ft1") + "{weight=0.5}\n");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void listsEveryProblemAtOnce() {
        Result r = graft("merge", "ties", model("ft1").toString(), model("ft2").toString(), "--density", "1.5",
                "--t", "0.3", "-o", dir.resolve("x").toString());
        assertThat(r.code()).isEqualTo(1);
        // One line for --density, not one per MODEL: the same flag gives both models' values. No --weight is 1.
        assertThat(r.err()).isEqualTo("""
                graft: 3 problems, nothing was merged:
                  - ties needs a base model; give one with --base
                  - ties has no parameter "--t" (its parameters: --density, --lambda, --normalize, --rescale, --sign-election, --weight, int8_mask (recipe only))
                  - --density must be between 0.0 and 1.0, got 1.5
                """);
    }

    @Test
    void theSvdMergesRefuseTooFewModelsAndFractionsOutsideTheRangeNamingTheFlags() {
        Path x = dir.resolve("x.safetensors");
        Result r = graft("merge", "tsv", model("ft1").toString(), "--base", model("base").toString(), "--fraction",
                "0", "-o", x.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("""
                graft: 2 problems, nothing was merged:
                  - tsv needs at least 3 models including the base, got 2
                  - --fraction must be in (0, 1], got 0.0
                """);
        r = graft("merge", "iso_cts", model("ft1").toString(), model("ft2").toString(), "--base",
                model("base").toString(), "--common-fraction", "1.5", "-o", x.toString());
        assertThat(r.err()).isEqualTo("graft: --common-fraction must be in (0, 1], got 1.5\n");
        assertThat(Files.exists(x)).isFalse();
    }

    @Test
    void problemsNameTheFlagsToPass() {
        // The first example of graft merge --help without --weight: every weight is 1, as --weight 1 gives.
        Path x = dir.resolve("x.safetensors");
        Path one = dir.resolve("one.safetensors");
        Result r = graft("merge", "ties", model("ft1").toString(), model("ft2").toString(), "--base",
                model("base").toString(), "--density", "0.2", "-q", "-o", x.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(graft("merge", "ties", model("ft1").toString(), model("ft2").toString(), "--base",
                model("base").toString(), "--density", "0.2", "--weight", "1", "-q", "-o", one.toString()).code())
                .isZero();
        try {
            assertThat(Files.readAllBytes(x)).isEqualTo(Files.readAllBytes(one));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Result zero = graft("merge", "linear", model("ft1").toString(), model("ft2").toString(), "--weight", "1,-1",
                "-o", dir.resolve("x").toString());
        assertThat(zero.err()).isEqualTo("graft: weights sum to 0 and normalizing divides by their sum (first at "
                + "lm_head.weight); use --no-normalize\n");
        Result lines = graft("merge", "linear", model("ft1").toString(), "--weight", "1", "--lines", "1",
                "-o", dir.resolve("x").toString());
        assertThat(lines.err()).isEqualTo("graft: --lines: LiNeS scales a merged task vector; method linear has none\n");
    }

    @Test
    void everyParameterFlagIsAnOptionOfMerge() {
        picocli.CommandLine.Model.CommandSpec merge = new picocli.CommandLine(new MergeCommand()).getCommandSpec();
        FlagVocabulary.FLAGS.values().forEach(flag -> assertThat(merge.findOption(flag)).as(flag).isNotNull());
    }

    @Test
    void aRecipesProblemsNameItsKeys() throws Exception {
        Path recipe = dir.resolve("bad.yml");
        Files.writeString(recipe, """
                merge_method: linear
                models:
                  - model: %s
                    parameters: {weight: 1.0}
                  - model: %s
                    parameters: {weight: -1.0}
                  - model: %s
                """.formatted(model("ft1"), model("ft2"), model("ft3")));
        Result r = graft("run", recipe.toString(), "-o", dir.resolve("x").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("""
                graft: 2 problems, nothing was merged:
                  - missing required parameter models[2].parameters.weight (first needed for lm_head.weight)
                  - weights sum to 0 and normalizing divides by their sum (first at lm_head.weight); use parameters.normalize: false
                """);
    }

    @Test
    void aRecipesFormatAndParameterProblemsComeTogether() throws Exception {
        // Before, only out_dtpe was reported, and densty on the next run.
        Path recipe = dir.resolve("keys.yml");
        Files.writeString(recipe, """
                merge_method: ties
                base_model: %s
                models:
                  - model: %s
                    parameters: {weight: 1, densty: 0.5}
                out_dtpe: bfloat16
                """.formatted(model("base"), model("ft1")));
        Result r = graft("run", recipe.toString(), "-o", dir.resolve("x").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("""
                graft: 2 problems in the recipe, nothing was merged:
                  - %1$s: unknown key 'out_dtpe' (did you mean 'out_dtype'?); known keys: merge_method, base_model, models, slices, modules, parameters, dtype, out_dtype, tokenizer_source, tokenizer, chat_template, out_shard_size, name, lines, seed
                  - %1$s: models[0].parameters.densty: ties has no parameter "densty" (its parameters: density, int8_mask, lambda, normalize, rescale, sign_election, weight)
                """.formatted(recipe));
    }

    @Test
    void aProblemIsSaidOnce() {
        // Before, "slerp merges exactly 2 models" came twice: for the request, then for its first tensor.
        Result r = graft("merge", "slerp", model("ft1").toString(), model("ft2").toString(), "--base",
                model("base").toString(), "--t", "0.3", "-o", dir.resolve("x").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: slerp merges exactly 2 models including the base, got 3\n");
    }

    @Test
    void runsARecipe() throws Exception {
        Path recipe = dir.resolve("ties.yml");
        Files.writeString(recipe, Files.readString(vectors().resolve("recipes/ties.yml"))
                .replace("base_model: base", "base_model: " + model("base"))
                .replace("model: ft", "model: " + model("ft1").getParent() + "/ft"));
        Path out = dir.resolve("ties.safetensors");
        Result r = graft("run", recipe.toString(), "-o", out.toString(), "-q");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(Files.size(out)).isEqualTo(188_072L);
        Result bad = graft("run", dir.resolve("missing.yml").toString(), "-o", out.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("graft: " + dir.resolve("missing.yml"));
    }

    /**
     * The examples of {@code graft merge --help}, run as written on copies of the test models named as the examples
     * name them: the --base one is the base, the other inputs are fine-tunes ft1, ft2, ft3 in order.
     */
    @Test
    void everyHelpExampleRuns() throws Exception {
        String[] footer = dev.graft.cli.Main.commandLine().getSubcommands().get("merge")
                .getCommandSpec().usageMessage().footer();
        List<String> examples = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : footer) {
            if (line.startsWith("  graft ") || !pending.isEmpty()) {
                // A line ending in a backslash goes on below, as in a shell.
                pending.append(line.strip());
                if (line.endsWith("\\")) {
                    pending.setLength(pending.length() - 1);
                } else {
                    examples.add(pending.toString());
                    pending.setLength(0);
                }
            }
        }
        assertThat(examples).hasSize(10);
        // The --tokenizer example needs models with tokenizer files, the GGUF input one a GGUF file:
        // HelpExamplesTest runs them on its sandbox's.
        assertThat(examples.removeIf(e -> e.contains("--tokenizer"))).isTrue();
        assertThat(examples.removeIf(e -> e.contains("tuned.gguf"))).isTrue();
        for (String example : examples) {
            Path here = Files.createTempDirectory(dir, "example");
            List<String> args = new ArrayList<>(List.of(example.split(" +")));
            assertThat(args.removeFirst()).isEqualTo("graft");
            int fineTunes = 0;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (!a.startsWith("./") && !a.endsWith(".safetensors") && !(i > 0 && args.get(i - 1).equals("-o"))) {
                    continue;
                }
                if (a.contains("+")) {
                    // MODEL+ADAPTER: a fine-tune, and an adapter of another fine-tune's changes
                    String[] parts = a.split("\\+");
                    Path ft = here.resolve(parts[0]).normalize();
                    Path adapter = here.resolve(parts[1]).normalize();
                    Path source = model("ft" + ++fineTunes);
                    Files.createDirectories(ft);
                    for (String f : new String[] {"model.safetensors", "config.json"}) {
                        Files.copy(source.resolve(f), ft.resolve(f));
                    }
                    assertThat(graft("extract", model("base").toString(), model("ft3").toString(), "--rank", "2",
                            "-q", "-o", adapter.toString()).code()).isZero();
                    args.set(i, ft + "+" + adapter);
                    continue;
                }
                Path p = here.resolve(a).normalize();
                args.set(i, p.toString());
                if (i > 0 && args.get(i - 1).equals("-o") || Files.exists(p)) {
                    continue;
                }
                Path source = model(i > 0 && args.get(i - 1).equals("--base") ? "base" : "ft" + ++fineTunes);
                if (a.endsWith(".safetensors")) {
                    Files.copy(source.resolve("model.safetensors"), p);
                } else {
                    Files.createDirectories(p);
                    for (String f : new String[] {"model.safetensors", "config.json"}) {
                        Files.copy(source.resolve(f), p.resolve(f));
                    }
                }
            }
            Result r = graft(args.toArray(String[]::new));
            assertThat(r.err()).as(example).isEmpty();
            assertThat(r.code()).as(example).isZero();
        }
    }

    @Test
    void helpListsEveryRegisteredMethod() {
        String description = String.join(" ", dev.graft.cli.Main.commandLine().getSubcommands()
                .get("merge").getCommandSpec().usageMessage().description());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Methods: ([a-z_, ]+)\\.").matcher(description);
        assertThat(m.find()).isTrue();
        assertThat(List.of(m.group(1).split(", "))).containsExactlyInAnyOrderElementsOf(
                dev.graft.core.method.MethodRegistry.load().names());
    }

    @Test
    void aRecipesOutShardSizeShardsTheFolderUnlessShardSizeIsGiven() throws Exception {
        Path recipe = dir.resolve("r.yml");
        Files.writeString(recipe, "merge_method: linear\nout_shard_size: 100K\nmodels:\n  - model: " + model("ft1")
                + "\n    parameters: {weight: 1}\n  - model: " + model("ft2") + "\n    parameters: {weight: 1}\n");
        Path sharded = dir.resolve("sharded");
        assertThat(graft("run", recipe.toString(), "-q", "-o", sharded.toString()).code()).isZero();
        try (var files = Files.list(sharded)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".safetensors")).sorted())
                    .containsExactly("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");
        }
        Path whole = dir.resolve("whole");
        assertThat(graft("run", recipe.toString(), "-q", "--shard-size", "5GB", "-o", whole.toString()).code())
                .isZero();
        assertThat(whole.resolve("model.safetensors")).exists();
        assertThat(whole.resolve("model.safetensors.index.json")).doesNotExist();
    }
}
