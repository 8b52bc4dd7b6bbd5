package dev.graft.algorithms;

import dev.graft.core.exec.MergeJob;
import dev.graft.core.exec.MergeOptions;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.plan.LinesSetting;
import dev.graft.core.plan.RequestBuilder;
import dev.graft.core.recipe.Recipe;
import dev.graft.formats.dtype.Bf16;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sce}, {@code ram}, {@code ramplus_tl}, {@code nearswap} and {@code arcee_fusion} on the reference family
 * (bf16 models read as float32, written as bf16) give, in every element, the bf16 rounding of
 * {@link SelectiveReference}'s value: exactly, not within 1 ulp. The recipes in {@code testdata/recipes/} are run as
 * {@code graft run} runs them.
 */
class SelectiveParityTest {
    private static final List<String> TENSORS = tensorNames();

    @TempDir
    Path dir;

    /** The reference merge of one tensor from the family's base and fine-tunes (ft1, ft2, ft3 in order). */
    @FunctionalInterface
    private interface Reference {
        float[] merge(String tensor, float[] base, float[][] fts, int rowLength);
    }

    private static List<String> tensorNames() {
        try (ModelSource m = ModelSource.open(ReferenceVectors.model("base"))) {
            return m.tensors().stream().map(TensorSpec::name).toList();
        }
    }

    private static float[] read(String model, String tensor) {
        try (ModelSource m = ModelSource.open(ReferenceVectors.model(model))) {
            return m.tensor(tensor).toFloatArray();
        }
    }

    /** Compares every tensor of {@code out} with the reference, as bf16 bits. */
    private static void assertExact(Path out, Reference reference) {
        long elements = 0;
        try (ModelSource merged = ModelSource.open(out)) {
            assertThat(merged.tensors()).extracting(TensorSpec::name).containsExactlyElementsOf(TENSORS);
            for (String name : TENSORS) {
                TensorSpec spec = merged.spec(name).orElseThrow();
                assertThat(spec.dtype()).isEqualTo(DType.BF16);
                float[][] fts = {read("ft1", name), read("ft2", name), read("ft3", name)};
                int row = (int) spec.shape().dim(spec.shape().rank() - 1);
                float[] expected = reference.merge(name, read("base", name), fts, row);
                float[] actual = merged.tensor(name).toFloatArray();
                for (int i = 0; i < actual.length; i++) {
                    short want = Bf16.fromFloat(expected[i]);
                    assertThat(Bf16.fromFloat(actual[i])).as("%s[%d]: %s, expected %s", name, i, actual[i],
                            Bf16.toFloat(want)).isEqualTo(want);
                }
                elements += actual.length;
            }
        }
        assertThat(elements).isEqualTo(92_496L);
    }

    private RequestBuilder request(String method, int fineTunes) {
        RequestBuilder b = new RequestBuilder(method).base("base", ReferenceVectors.model("base"))
                .dtype(DType.F32).outDtype(DType.BF16);
        for (int i = 1; i <= fineTunes; i++) {
            b.model("ft" + i, ReferenceVectors.model("ft" + i), Map.of());
        }
        return b;
    }

    private Path merge(RequestBuilder b, String name) {
        Path out = dir.resolve(name + ".safetensors");
        new MergeJob(MethodRegistry.load(), MergeOptions.defaults()).run(b.build(), out);
        return out;
    }

    /** The LiNeS scale of a tensor of the 3-block family: alpha + beta·i/2 in block i, alpha outside. */
    private static double linesScale(String tensor, double alpha, double beta) {
        Matcher m = Pattern.compile("\\.layers\\.(\\d+)\\.").matcher(tensor);
        return m.find() ? alpha + beta * Integer.parseInt(m.group(1)) / 2.0 : alpha;
    }

    /** What each shipped recipe asks for, from the reference. */
    private static Reference recipeReference(String name) {
        return switch (name) {
            case "sce" -> (t, base, fts, row) -> SelectiveReference.sce(base, fts, 0.3, 1);
            case "ram" -> (t, base, fts, row) -> SelectiveReference.ram(base, fts, false, 0, 0, 0.005, 1);
            case "ramplus_tl" -> (t, base, fts, row) -> SelectiveReference.ram(base, fts, true, 0.5, 0.8, 0.005, 1);
            case "nearswap" -> (t, base, fts, row) -> SelectiveReference.nearswap(base, fts[0], 0.005);
            case "arcee_fusion" -> (t, base, fts, row) -> SelectiveReference.arceeFusion(base, fts[0], row);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"sce", "ram", "ramplus_tl", "nearswap", "arcee_fusion"})
    void shippedRecipeGivesTheReferenceExactly(String name) {
        Recipe recipe = Recipe.load(ReferenceVectors.root().resolve("../../recipes").normalize().resolve(name + ".yml"));
        assertThat(recipe.mergeMethod()).isEqualTo(name);
        Path out = dir.resolve(name + ".safetensors");
        recipe.run(out, MergeOptions.defaults(), ReferenceVectors.root().resolve("models"));
        assertExact(out, recipeReference(name));
    }

    @Test
    void sceWithoutSelectionAndWithLines() {
        assertExact(merge(request("sce", 3), "sce-all"), (t, base, fts, row) -> SelectiveReference.sce(base, fts, 1, 1));
        assertExact(merge(request("sce", 2).global("select_topk", 0.6).lines(new LinesSetting(OptionalDouble.of(0.4), 0.6)),
                "sce-lines"), (t, base, fts, row) -> SelectiveReference.sce(base, new float[][] {fts[0], fts[1]}, 0.6,
                linesScale(t, 0.4, 0.6)));
    }

    @Test
    void ramWithItsDefaultEpsilonAndRamPlusWithLines() {
        assertExact(merge(request("ram", 3), "ram-default"),
                (t, base, fts, row) -> SelectiveReference.ram(base, fts, false, 0, 0, 1e-5, 1));
        assertExact(merge(request("ramplus_tl", 3).global("epsilon", 0.01).lines(new LinesSetting(OptionalDouble.of(1),
                        -0.5)), "ramplus-lines"),
                (t, base, fts, row) -> SelectiveReference.ram(base, fts, true, 0.1, 0.2, 0.01, linesScale(t, 1, -0.5)));
    }

    @Test
    void nearswapAndArceeFusionWithTheOtherFineTunes() {
        RequestBuilder near = new RequestBuilder("nearswap").base("base", ReferenceVectors.model("base"))
                .model("ft3", ReferenceVectors.model("ft3"), Map.of()).global("t", 0.02)
                .dtype(DType.F32).outDtype(DType.BF16);
        assertExact(merge(near, "nearswap-ft3"), (t, base, fts, row) -> SelectiveReference.nearswap(base, fts[2], 0.02));
        RequestBuilder fusion = new RequestBuilder("arcee_fusion").base("base", ReferenceVectors.model("base"))
                .model("ft2", ReferenceVectors.model("ft2"), Map.of()).dtype(DType.F32).outDtype(DType.BF16);
        assertExact(merge(fusion, "fusion-ft2"), (t, base, fts, row) -> SelectiveReference.arceeFusion(base, fts[1], row));
    }
}
