package dev.graft.cli.merge;

import dev.graft.cli.Cli.Result;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.graft.cli.Cli.graft;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * nuslerp, multislerp and karcher from the command line: each recipe of testdata/recipes through {@code graft run}
 * gives the bytes the same merge gives through {@code graft merge}'s flags (the values themselves are checked
 * against references in algorithms' SphericalParityTest), and their problems name the flags.
 */
class SphericalMethodsCommandTest {
    @TempDir
    Path dir;

    private static Path testdata() {
        return Path.of(System.getProperty("graft.testdata", "../testdata")).toAbsolutePath().normalize();
    }

    private static String model(String name) {
        return testdata().resolve("vectors/merge/models").resolve(name).toString();
    }

    /** The recipe with its model names made absolute, as graft run resolves them against the working folder. */
    private Path recipe(String method) throws Exception {
        String text = Files.readString(testdata().resolve("recipes").resolve(method + ".yml"));
        for (String m : List.of("base", "ft1", "ft2", "ft3")) {
            text = text.replace("model: " + m + "\n", "model: " + model(m) + "\n");
        }
        Path p = dir.resolve(method + ".yml");
        Files.writeString(p, text);
        return p;
    }

    private Path merged(String name, String... args) {
        Path out = dir.resolve(name + ".safetensors");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", out.toString(), "-q"));
        Result r = graft(all.toArray(String[]::new));
        assertThat(r.err()).as(String.join(" ", args)).isEmpty();
        assertThat(r.code()).isZero();
        return out;
    }

    private static void assertSameTensors(Path a, Path b) {
        try (ModelSource x = ModelSource.open(a); ModelSource y = ModelSource.open(b)) {
            assertThat(x.tensors()).hasSize(30).isEqualTo(y.tensors());
            for (TensorSpec s : x.tensors()) {
                assertThat(x.tensor(s.name()).toFloatArray()).as(s.name())
                        .containsExactly(y.tensor(s.name()).toFloatArray());
            }
        }
    }

    @Test
    void eachRecipeRunsAndMatchesTheFlags() throws Exception {
        String[] types = {"--dtype", "float32", "--out-dtype", "bfloat16"};
        Path nuslerp = merged("nuslerp-run", "run", recipe("nuslerp").toString());
        assertSameTensors(nuslerp, merged("nuslerp-flags", concat(new String[] {"merge", "nuslerp", model("ft1"),
                model("ft2"), "--base", model("base"), "--weight", "1,3", "--no-nuslerp-flatten"}, types)));
        Path multislerp = merged("multislerp-run", "run", recipe("multislerp").toString());
        assertSameTensors(multislerp, merged("multislerp-flags", concat(new String[] {"merge", "multislerp",
                model("ft1"), model("ft2"), model("ft3"), "--base", model("base"), "--weight", "1,2,1"}, types)));
        Path karcher = merged("karcher-run", "run", recipe("karcher").toString());
        assertSameTensors(karcher, merged("karcher-flags", concat(new String[] {"merge", "karcher", model("ft1"),
                model("ft2"), model("ft3")}, types)));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private Result fails(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", dir.resolve("never").toString()));
        Result r = graft(all.toArray(String[]::new));
        assertThat(r.code()).as(String.join(" ", args)).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("never"))).isFalse();
        return r;
    }

    @Test
    void nuslerpMergesExactlyTwoModels() {
        assertThat(fails("merge", "nuslerp", model("ft1"), model("ft2"), model("ft3"), "--weight", "1").err())
                .isEqualTo("graft: nuslerp merges exactly 2 models plus an optional base, got 3\n");
        // The base listed as a MODEL too is counted once, as the base.
        assertThat(fails("merge", "nuslerp", model("base"), model("ft1"), "--base", model("base"), "--weight", "1")
                .err()).isEqualTo("graft: nuslerp merges exactly 2 models plus an optional base, got 1 besides the "
                + "base (which is not one of them)\n");
        // Without --weight every model weighs 1 on the command line: t = 0.5.
        Path noWeight = dir.resolve("w.safetensors");
        Path one = dir.resolve("one.safetensors");
        assertThat(graft("merge", "nuslerp", model("ft1"), model("ft2"), "-q", "-o", noWeight.toString()).code())
                .isZero();
        assertThat(graft("merge", "nuslerp", model("ft1"), model("ft2"), "--weight", "1", "-q", "-o",
                one.toString()).code()).isZero();
        try {
            assertThat(Files.readAllBytes(noWeight)).isEqualTo(Files.readAllBytes(one));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void weightProblemsNameTheFlags() {
        assertThat(fails("merge", "multislerp", model("ft1"), model("ft2"), "--weight", "1,-1").err())
                .isEqualTo("graft: weights sum to 0 and normalize_weights divides by their sum (first at "
                        + "lm_head.weight); use --no-normalize-weights\n");
        assertThat(fails("merge", "karcher", model("ft1"), model("ft2"), "--weight", "0").err())
                .isEqualTo("graft: karcher weights sum to 0 (first at lm_head.weight); give a model a positive weight\n");
        assertThat(fails("merge", "karcher", model("ft1"), model("ft2"), "--weight", "1,-1").err())
                .isEqualTo("graft: --weight must be at least 0.0, got -1.0\n");
        assertThat(fails("merge", "karcher", model("ft1"), model("ft2"), "--max-iter", "-1").err())
                .isEqualTo("graft: --max-iter must be a whole number of at least 0, got -1.0\n");
        assertThat(fails("merge", "multislerp", model("ft1"), model("ft2"), "--weight", "1", "--eps", "-1").err())
                .isEqualTo("graft: --eps must be at least 0.0, got -1.0\n");
    }

    @Test
    void aRecipesProblemsNameItsKeys() throws Exception {
        Path recipe = dir.resolve("bad.yml");
        Files.writeString(recipe, """
                merge_method: multislerp
                models:
                  - model: %s
                    parameters: {weight: 1.0}
                  - model: %s
                    parameters: {weight: -1.0}
                """.formatted(model("ft1"), model("ft2")));
        assertThat(fails("run", recipe.toString()).err()).isEqualTo("graft: weights sum to 0 and normalize_weights "
                + "divides by their sum (first at lm_head.weight); use parameters.normalize_weights: false\n");
        Files.writeString(recipe, """
                merge_method: nuslerp
                base_model: %s
                models:
                  - model: %s
                    parameters: {weight: 1.0}
                  - model: %s
                    parameters: {weight: 1.0}
                """.formatted(model("base"), model("base"), model("ft1")));
        assertThat(fails("run", recipe.toString()).err()).isEqualTo("graft: nuslerp merges exactly 2 models plus an "
                + "optional base, got 1 besides the base (which is not one of them)\n");
    }

    @Test
    void multislerpRefusesCancellingDirectionsAndWritesNothing() {
        float[] a = {1, 2, 3, 4};
        Path x = file("x.safetensors", a);
        Path y = file("y.safetensors", new float[] {-1, -2, -3, -4});
        Path z = file("z.safetensors", new float[] {4, 3, 2, 1});
        Result r = fails("merge", "multislerp", x.toString(), y.toString(), z.toString(), "--weight", "1,1,0");
        assertThat(r.err()).isEqualTo("graft: multislerp cannot merge tensor w: the weighted sum of its 3 models' "
                + "unit tensors is zero (antipodal models whose weights balance, such as a and -a at equal weights); "
                + "change the weights\n");
        // Two such models fall back to their weighted sum, as in mergekit.
        Path two = merged("two", "merge", "multislerp", x.toString(), y.toString(), "--weight", "1");
        try (ModelSource m = ModelSource.open(two)) {
            assertThat(m.tensor("w").toFloatArray()).containsExactly(0, 0, 0, 0);
        }
    }

    private Path file(String name, float[] values) {
        Path p = dir.resolve(name);
        TensorSpec spec = new TensorSpec("w", DType.F32, Shape.of(2, 2));
        try (SafetensorsWriter w = SafetensorsWriter.create(p, List.of(spec), SafetensorsWriter.PT_METADATA, false)) {
            w.writeFloats("w", values);
            w.commit();
        }
        return p;
    }
}
