package dev.graft.algorithms;

import dev.graft.algorithms.SphericalReference.Layout;
import dev.graft.core.exec.MergeJob;
import dev.graft.core.exec.MergeOptions;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.plan.RequestBuilder;
import dev.graft.core.recipe.Recipe;
import dev.graft.formats.dtype.Bf16;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nuslerp, multislerp and karcher on the reference family (bf16 base, ft1–ft3) against {@link SphericalReference}
 * (double precision, whole vectors): every element within 1 bf16 ulp of the reference rounded to bf16, and, merged
 * to float32, within {@value #F32_TOLERANCE} float32 ulps of the reference, relative to the magnitude of the terms
 * that make it (|base| + |result| + Σ|pointᵢ|).
 */
class SphericalParityTest {
    /** Float32 tolerance in units of 2⁻²⁴ of the terms' magnitude (the largest error measured is 1.002). */
    static final double F32_TOLERANCE = 2;
    /**
     * bf16 elements allowed 1 ulp off the rounded reference (at most 1 of 92,496 measured per merge): only a
     * float32 result next to a bf16 rounding boundary may round the other way.
     */
    static final long ONE_ULP_ELEMENTS = 4;
    static final List<String> FAMILY = List.of("base", "ft1", "ft2", "ft3");

    @TempDir
    Path dir;
    private int merges;

    /** The tensors of a model of the family, by name. */
    private static Map<String, float[]> read(String model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (ModelSource m = ModelSource.open(ReferenceVectors.model(model))) {
            for (TensorSpec spec : m.tensors()) {
                out.put(spec.name(), m.tensor(spec.name()).toFloatArray());
            }
        }
        return out;
    }

    private static Map<String, Shape> shapes() {
        Map<String, Shape> out = new LinkedHashMap<>();
        try (ModelSource m = ModelSource.open(ReferenceVectors.model("base"))) {
            m.tensors().forEach(s -> out.put(s.name(), s.shape()));
        }
        return out;
    }

    /** The reference's result for one tensor. */
    @FunctionalInterface
    interface Reference {
        double[] of(String tensor, Shape shape, Map<String, Map<String, float[]>> family);
    }

    /** What a comparison found, over all tensors. */
    record Found(long elements, long bf16OneUlp, long bf16More, double worstF32, String firstBad) {
    }

    private Path merge(RequestBuilder b, DType out, String name) {
        Path target = dir.resolve(name + "-" + (++merges) + "-" + out.torchName() + ".safetensors");
        new MergeJob(MethodRegistry.load(), MergeOptions.defaults()).run(b.outDtype(out).build(), target);
        return target;
    }

    /** Compares a bf16 and a float32 merge with the reference, tensor by tensor. */
    private static Found compare(Path bf16, Path f32, Reference reference, List<String> points, String base) {
        Map<String, Map<String, float[]>> family = new LinkedHashMap<>();
        FAMILY.forEach(m -> family.put(m, read(m)));
        long elements = 0;
        long one = 0;
        long more = 0;
        double worst = 0;
        String firstBad = null;
        try (ModelSource b = ModelSource.open(bf16); ModelSource f = ModelSource.open(f32)) {
            for (Map.Entry<String, Shape> s : shapes().entrySet()) {
                String name = s.getKey();
                double[] ref = reference.of(name, s.getValue(), family);
                float[] gotBf16 = b.tensor(name).toFloatArray();
                float[] gotF32 = f.tensor(name).toFloatArray();
                assertThat(b.tensor(name).spec().dtype()).isEqualTo(DType.BF16);
                assertThat(gotF32).hasSize(ref.length);
                for (int e = 0; e < ref.length; e++) {
                    elements++;
                    int d = Math.abs(ReferenceVectors.ulpIndex(gotBf16[e]) - ReferenceVectors.ulpIndex((float) ref[e]));
                    one += d == 1 ? 1 : 0;
                    if (d > 1) {
                        more++;
                        firstBad = firstBad != null ? firstBad
                                : name + "[" + e + "]: " + gotBf16[e] + " vs reference " + ref[e];
                    }
                    double magnitude = Math.abs(ref[e]);
                    for (String p : points) {
                        float[] x = family.get(p).get(name);
                        float[] bx = base == null ? null : family.get(base).get(name);
                        magnitude += Math.abs(bx == null ? x[e] : (double) (x[e] - bx[e]));
                    }
                    if (base != null) {
                        magnitude += Math.abs(family.get(base).get(name)[e]);
                    }
                    double err = Math.abs(gotF32[e] - ref[e]);
                    worst = Math.max(worst, err == 0 ? 0 : err / (magnitude * 0x1p-24));
                }
            }
        }
        return new Found(elements, one, more, worst, firstBad);
    }

    private static void assertWithin(Found f) {
        assertThat(f.elements()).isEqualTo(92_496L);
        assertThat(f.bf16More()).as("bf16 elements more than 1 ulp off; first: %s", f.firstBad()).isZero();
        assertThat(f.bf16OneUlp()).as("bf16 elements 1 ulp off").isLessThanOrEqualTo(ONE_ULP_ELEMENTS);
        assertThat(f.worstF32()).as("float32 error in units of 2^-24 of the terms").isLessThanOrEqualTo(F32_TOLERANCE);
    }

    /** A request over the family: {@code weights} for ft1, ft2 …; {@code base} or null. */
    private static RequestBuilder request(String method, String base, double... weights) {
        RequestBuilder b = new RequestBuilder(method).dtype(DType.F32);
        if (base != null) {
            b.base(base, ReferenceVectors.model(base));
        }
        for (int i = 0; i < weights.length; i++) {
            String m = "ft" + (i + 1);
            b.model(m, ReferenceVectors.model(m), Double.isNaN(weights[i]) ? Map.of() : Map.of("weight", weights[i]));
        }
        return b;
    }

    private Found run(RequestBuilder b, String name, Reference reference, List<String> points, String base) {
        return compare(merge(b, DType.BF16, name), merge(b, DType.F32, name), reference, points, base);
    }

    private static int[] rowsAndColumns(Shape shape, Layout layout) {
        long n = shape.elementCount();
        if (shape.rank() < 2) {
            return layout == Layout.COLUMNS ? new int[] {(int) n, 1} : new int[] {1, (int) n};
        }
        int rows = (int) shape.dim(0);
        return new int[] {rows, (int) (n / rows)};
    }

    private Found nuslerp(String base, double w1, double w2, Layout layout) {
        RequestBuilder b = request("nuslerp", base, w1, w2)
                .global("nuslerp_flatten", layout == Layout.WHOLE).global("nuslerp_row_wise", layout == Layout.COLUMNS);
        return run(b, "nuslerp-" + layout, (name, shape, fam) -> {
            int[] rc = rowsAndColumns(shape, layout);
            return SphericalReference.nuslerp(fam.get("ft1").get(name), fam.get("ft2").get(name),
                    base == null ? null : fam.get(base).get(name), w1, w2, layout, rc[0], rc[1]);
        }, List.of("ft1", "ft2"), base);
    }

    @Test
    void nuslerpOfTwoModels() {
        assertWithin(nuslerp(null, 0.4, 0.6, Layout.WHOLE));
    }

    @Test
    void nuslerpOfTaskVectorsWholeRowsAndColumns() {
        for (Layout layout : Layout.values()) {
            assertWithin(nuslerp("base", 1.0, 0.5, layout));
        }
    }

    private Found multislerp(String base, boolean normalize, double... weights) {
        RequestBuilder b = request("multislerp", base, weights).global("normalize_weights", normalize);
        List<String> points = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            points.add("ft" + (i + 1));
        }
        return run(b, "multislerp", (name, shape, fam) -> SphericalReference.multislerp(
                points.stream().map(p -> fam.get(p).get(name)).toArray(float[][]::new),
                base == null ? null : fam.get(base).get(name), weights, normalize, 1e-8), points, base);
    }

    @Test
    void multislerpOfThreeModels() {
        assertWithin(multislerp(null, true, 0.5, 0.3, 0.2));
    }

    @Test
    void multislerpOfTaskVectorsWithAndWithoutNormalizedWeights() {
        assertWithin(multislerp("base", true, 1, 1, 2));
        assertWithin(multislerp("base", false, 0.5, 0.3, 0.4));
    }

    private Found karcher(String base, double[] weights, int maxIter) {
        RequestBuilder b = request("karcher", base, weights).global("max_iter", (double) maxIter);
        List<String> inputs = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        if (base != null) {
            inputs.add(base);
            w.add(1.0); // the default weight
        }
        for (int i = 0; i < weights.length; i++) {
            inputs.add("ft" + (i + 1));
            w.add(Double.isNaN(weights[i]) ? 1.0 : weights[i]);
        }
        double[] all = w.stream().mapToDouble(Double::doubleValue).toArray();
        return run(b, "karcher", (name, shape, fam) -> SphericalReference.karcher(
                inputs.stream().map(p -> fam.get(p).get(name)).toArray(float[][]::new), all, maxIter, 1e-5),
                inputs, null);
    }

    @Test
    void karcherWithoutWeightsIsMergekits() {
        assertWithin(karcher(null, new double[] {Double.NaN, Double.NaN, Double.NaN}, 10));
    }

    @Test
    void karcherWeightedAroundTheBase() {
        // The base is a fourth point of weight 1, as mergekit adds it; one iteration and the default ten.
        assertWithin(karcher("base", new double[] {2, 1, 0.5}, 1));
        assertWithin(karcher("base", new double[] {2, 1, 0.5}, 10));
    }

    /** The recipes in testdata/recipes, run as {@code graft run} runs them, match the reference too. */
    @Test
    void recipesGiveTheReferencesResults() {
        Path models = ReferenceVectors.model("base").getParent();
        Path recipes = ReferenceVectors.root().getParent().getParent().resolve("recipes");
        Map<String, Map<String, float[]>> fam = new LinkedHashMap<>();
        FAMILY.forEach(m -> fam.put(m, read(m)));
        Map<String, Shape> shapes = shapes();
        for (String method : List.of("nuslerp", "multislerp", "karcher")) {
            Recipe recipe = Recipe.load(recipes.resolve(method + ".yml"));
            Path out = dir.resolve("recipe-" + method + ".safetensors");
            recipe.run(out, MergeOptions.defaults(), models);
            long more = 0;
            try (ModelSource got = ModelSource.open(out)) {
                for (Map.Entry<String, Shape> s : shapes.entrySet()) {
                    String n = s.getKey();
                    double[] ref = switch (method) {
                        // nuslerp.yml: ft1 (weight 1) and ft2 (weight 3) around the base, row by row
                        case "nuslerp" -> SphericalReference.nuslerp(fam.get("ft1").get(n), fam.get("ft2").get(n),
                                fam.get("base").get(n), 1, 3, Layout.ROWS, rowsAndColumns(s.getValue(), Layout.ROWS)[0],
                                rowsAndColumns(s.getValue(), Layout.ROWS)[1]);
                        // multislerp.yml: ft1..ft3 at 1, 2, 1 around the base
                        case "multislerp" -> SphericalReference.multislerp(new float[][] {fam.get("ft1").get(n),
                                fam.get("ft2").get(n), fam.get("ft3").get(n)}, fam.get("base").get(n),
                                new double[] {1, 2, 1}, true, 1e-8);
                        // karcher.yml: ft1..ft3, mergekit's defaults
                        default -> SphericalReference.karcher(new float[][] {fam.get("ft1").get(n),
                                fam.get("ft2").get(n), fam.get("ft3").get(n)}, new double[] {1, 1, 1}, 10, 1e-5);
                    };
                    float[] x = got.tensor(n).toFloatArray();
                    for (int e = 0; e < x.length; e++) {
                        more += Math.abs(ReferenceVectors.ulpIndex(x[e]) - ReferenceVectors.ulpIndex((float) ref[e])) > 1 ? 1 : 0;
                    }
                }
            }
            assertThat(more).as("%s.yml: bf16 elements more than 1 ulp off the reference", method).isZero();
        }
    }
}
