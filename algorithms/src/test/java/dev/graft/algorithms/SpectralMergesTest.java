package dev.graft.algorithms;

import dev.graft.algorithms.kernels.SpectralOracle;
import dev.graft.core.exec.MergeOptions;
import dev.graft.core.plan.Plan;
import dev.graft.core.plan.PlanException;
import dev.graft.core.plan.TensorTask;
import dev.graft.core.recipe.Recipe;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelSource;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The SVD merges end to end on the reference family (base and three 48-wide fine-tunes): through the Java API with
 * LiNeS and an output dtype, from YAML recipes with filtered parameters and slices, and what they refuse before any
 * work.
 */
class SpectralMergesTest {
    private static final Path MODELS = ReferenceVectors.root().resolve("models");
    private static final Path BASE = ReferenceVectors.model("base");
    private static final String Q = "model.layers.1.self_attn.q_proj.weight";
    private static final String NORM = "model.layers.1.input_layernorm.weight";

    @TempDir
    Path dir;

    private static Merge three(Merge m) {
        return m.base(BASE).add(ReferenceVectors.model("ft1"), Map.of()).add(ReferenceVectors.model("ft2"), Map.of())
                .add(ReferenceVectors.model("ft3"), Map.of());
    }

    private static float[] read(Path model, String tensor) {
        try (ModelSource s = ModelSource.open(model)) {
            return s.tensor(tensor).toFloatArray();
        }
    }

    private static float[][] family(String tensor) {
        return new float[][] {read(BASE, tensor), read(MODELS.resolve("ft1"), tensor),
                read(MODELS.resolve("ft2"), tensor), read(MODELS.resolve("ft3"), tensor)};
    }

    private static List<RealMatrix> taskVectors(float[][] in, int rows, int cols) {
        List<RealMatrix> out = new ArrayList<>();
        for (int i = 1; i < in.length; i++) {
            float[] d = new float[in[0].length];
            for (int e = 0; e < d.length; e++) {
                d[e] = in[i][e] - in[0][e];
            }
            out.add(SpectralOracle.matrix(d, rows, cols));
        }
        return out;
    }

    private static double linesScale(Plan plan, String tensor) {
        return plan.tasks().stream().filter(t -> t.name().equals(tensor)).findFirst().orElseThrow().parameters()
                .linesScale();
    }

    @Test
    void tsvWithLinesAndFloat32OutputMatchesTheOracleAndAveragesTheNorms() {
        Merge merge = three(Merge.tsv()).lambda(0.8).lines(0.5, 0.5).outDtype(DType.F32);
        Plan plan = merge.plan();
        // Block 1 of 3: 0.5 + 0.5 · 1/2.
        assertThat(linesScale(plan, Q)).isEqualTo(0.75);
        Path out = dir.resolve("tsv.safetensors");
        merge.write(out);
        float[][] q = family(Q);
        RealMatrix expected = SpectralOracle.tsv(taskVectors(q, 48, 48), 1.0 / 3).scalarMultiply(0.8 * 0.75);
        float[] got = read(out, Q);
        double diff = 0;
        double norm = 0;
        for (int e = 0; e < got.length; e++) {
            double x = expected.getEntry(e / 48, e % 48);
            diff += Math.pow(got[e] - q[0][e] - x, 2);
            norm += x * x;
        }
        assertThat(Math.sqrt(diff / norm)).isLessThan(1e-5);
        // A norm is not a matrix: base + λ·lines·mean(δ), in the streaming kernel's float32 order.
        float[][] n = family(NORM);
        float[] norms = read(out, NORM);
        float factor = 0.8f * 0.75f;
        for (int e = 0; e < norms.length; e++) {
            float mixed = 0;
            for (int i = 1; i <= 3; i++) {
                mixed += n[i][e] - n[0][e];
            }
            assertThat(norms[e]).as("element %d", e).isEqualTo(n[0][e] + (mixed / 3f) * factor);
        }
    }

    @Test
    void aRecipesFilteredStepsReachWudisTensorsAndZeroStepsIsTheSum() throws Exception {
        Path recipe = dir.resolve("wudi.yml");
        Files.writeString(recipe, """
                merge_method: wudi
                base_model: base
                models:
                  - model: ft1
                  - model: ft2
                  - model: ft3
                parameters:
                  steps:
                    - filter: self_attn
                      value: 0
                    - value: 3
                  lr: 1e-4
                out_dtype: float32
                """);
        Path out = dir.resolve("wudi.safetensors");
        Recipe.load(recipe).run(out, MergeOptions.defaults(), MODELS);
        float[][] q = family(Q);
        float[] got = read(out, Q);
        for (int e = 0; e < got.length; e++) {
            float sum = 0;
            for (int i = 1; i <= 3; i++) {
                sum += q[i][e] - q[0][e];
            }
            assertThat(got[e]).as("element %d", e).isEqualTo(q[0][e] + sum);
        }
        // Three steps of about lr each moved the MLP's matrices off the sum, by at most 3·lr per element.
        String up = "model.layers.1.mlp.up_proj.weight";
        float[][] u = family(up);
        float[] moved = read(out, up);
        double largest = 0;
        for (int e = 0; e < moved.length; e++) {
            float sum = u[0][e];
            for (int i = 1; i <= 3; i++) {
                sum += u[i][e] - u[0][e];
            }
            largest = Math.max(largest, Math.abs(moved[e] - sum));
        }
        assertThat(largest).isGreaterThan(1e-5).isLessThan(3.1e-4);
    }

    @Test
    void aSlicedRecipeOverEveryLayerGivesThePlainMerge() throws Exception {
        Path recipe = dir.resolve("iso.yml");
        Files.writeString(recipe, """
                merge_method: iso_cts
                base_model: base
                slices:
                  - sources:
                      - model: base
                        layer_range: [0, 3]
                      - model: ft1
                        layer_range: [0, 3]
                      - model: ft2
                        layer_range: [0, 3]
                parameters:
                  common_fraction: 0.5
                  lambda: 1.2
                dtype: bfloat16
                """);
        Path sliced = dir.resolve("sliced.safetensors");
        Recipe.load(recipe).run(sliced, MergeOptions.defaults(), MODELS);
        Path plain = dir.resolve("plain.safetensors");
        Merge.isoCts().base(BASE).add(ReferenceVectors.model("ft1"), Map.of()).add(ReferenceVectors.model("ft2"), Map.of())
                .set("common_fraction", 0.5).lambda(1.2).dtype(DType.BF16).write(plain);
        for (String t : List.of(Q, NORM, "model.layers.0.mlp.down_proj.weight")) {
            assertThat(read(sliced, t)).as(t).containsExactly(read(plain, t));
        }
    }

    @Test
    void theSameBytesWithOneThreadOrTwo() throws Exception {
        for (String method : List.of("tsv", "wudi")) {
            Path one = dir.resolve(method + "-1.safetensors");
            Path two = dir.resolve(method + "-2.safetensors");
            three(Merge.method(method)).set(method.equals("wudi") ? "steps" : "lambda", 5.0).threads(1).write(one);
            three(Merge.method(method)).set(method.equals("wudi") ? "steps" : "lambda", 5.0).threads(2).write(two);
            assertThat(Files.readAllBytes(one)).as(method).isEqualTo(Files.readAllBytes(two));
        }
    }

    private static List<String> problems(Merge merge) {
        return catchThrowableOfType(PlanException.class, merge::plan).problems();
    }

    @Test
    void tooFewModelsAndFractionsOutsideTheRangeAreRefusedBeforeAnyWork() {
        for (String method : List.of("tsv", "iso_c", "iso_cts", "wudi")) {
            assertThat(problems(Merge.method(method).base(BASE).add(ReferenceVectors.model("ft1"), Map.of())))
                    .containsExactly(method + " needs at least 3 models including the base, got 2");
        }
        assertThat(problems(three(Merge.tsv()).set("fraction", 0.0)))
                .containsExactly("fraction must be in (0, 1], got 0.0");
        assertThat(problems(three(Merge.tsv()).set("fraction", 1.5)))
                .containsExactly("fraction must be in (0, 1], got 1.5");
        assertThat(problems(three(Merge.isoCts()).set("common_fraction", -0.2)))
                .containsExactly("common_fraction must be in (0, 1], got -0.2");
        assertThat(problems(three(Merge.wudi()).set("steps", 2.5)))
                .containsExactly("steps must be a whole number of at least 0, got 2.5");
        assertThat(problems(Merge.wudi().add(ReferenceVectors.model("ft1"), Map.of())
                .add(ReferenceVectors.model("ft2"), Map.of())))
                .containsExactly("wudi needs a base model; give one with base(…)",
                        "wudi needs at least 3 models including the base, got 2");
    }

    @Test
    void theDryRunStatesTheWholeMatrixWorkingSet() {
        Plan plan = three(Merge.isoC()).plan();
        TensorTask q = plan.tasks().stream().filter(t -> t.name().equals(Q)).findFirst().orElseThrow();
        // (3 task vectors + 6 scratch matrices) × 48 × 48 float32, and the Gram path's four 48 × 48
        assertThat(plan.method().workingBytes(q.readShape(), q.inputs().size())).isEqualTo(13L * 48 * 48 * 4);
        TensorTask norm = plan.tasks().stream().filter(t -> t.name().equals(NORM)).findFirst().orElseThrow();
        assertThat(plan.method().workingBytes(norm.readShape(), norm.inputs().size())).isZero();
        java.io.StringWriter text = new java.io.StringWriter();
        dev.graft.core.plan.PlanDescription.print(plan, 2, 0, new java.io.PrintWriter(text));
        // The MLP's 128 × 48 matrices are the largest: 9 × 128 × 48 × 4 + 4 × 48 × 48 × 4 bytes.
        assertThat(text.toString()).contains("Working set up to 258 kB per tensor (iso_c holds each 2-D tensor of "
                + "every model at once, with its factors), included above");
    }

    @Test
    void wudisGramIsColumnsByColumnsWhicheverSideIsLonger() {
        Plan plan = three(Merge.wudi()).plan();
        TensorTask up = plan.tasks().stream().filter(t -> t.name().equals("model.layers.1.mlp.up_proj.weight"))
                .findFirst().orElseThrow();
        TensorTask down = plan.tasks().stream().filter(t -> t.name().equals("model.layers.1.mlp.down_proj.weight"))
                .findFirst().orElseThrow();
        assertThat(up.readShape().dims()).containsExactly(128L, 48L);
        // (3 task vectors + 6 scratch) × m × n, and G with one Gᵢ, n × n: 48 × 48 for up_proj (a 1B model's
        // 32000 × 2048 embeddings were estimated with 32000 × 32000, 8 GB, before), 128 × 128 for down_proj
        assertThat(plan.method().workingBytes(up.readShape(), up.inputs().size()))
                .isEqualTo(4L * (9 * 128 * 48 + 2 * 48 * 48));
        assertThat(plan.method().workingBytes(down.readShape(), down.inputs().size()))
                .isEqualTo(4L * (9 * 128 * 48 + 2 * 128 * 128));
    }
}
