package dev.graft.algorithms;

import dev.graft.core.exec.MergeJob;
import dev.graft.core.exec.MergeOptions;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.plan.LinesSetting;
import dev.graft.core.plan.RequestBuilder;
import dev.graft.formats.dtype.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/** Task-vector methods reproduce mergekit's outputs on the reference family within 1 bf16 ulp. */
class TaskVectorParityTest {
    @TempDir
    Path dir;

    private RequestBuilder request(String method, List<Map<String, Object>> perModel) {
        RequestBuilder b = new RequestBuilder(method).base("base", ReferenceVectors.model("base"))
                .dtype(DType.F32).outDtype(DType.BF16);
        for (int i = 0; i < perModel.size(); i++) {
            b.model("ft" + (i + 1), ReferenceVectors.model("ft" + (i + 1)), perModel.get(i));
        }
        return b;
    }

    private ReferenceVectors.Comparison run(RequestBuilder b, String expected) {
        Path out = dir.resolve(expected + ".safetensors");
        new MergeJob(MethodRegistry.load(), MergeOptions.defaults()).run(b.build(), out);
        return ReferenceVectors.compare(out, ReferenceVectors.expected(expected));
    }

    @Test
    void taskArithmeticWithANegativeWeight() {
        RequestBuilder b = request("task_arithmetic",
                List.of(Map.of("weight", 1.0), Map.of("weight", 0.7), Map.of("weight", -0.4)))
                .global("lambda", 0.8).global("normalize", false);
        ReferenceVectors.Comparison c = run(b, "task_arithmetic");
        assertThat(c.offByMore()).as("first: %s", c.firstBad()).isZero();
    }

    @Test
    void linesAutoAlphaIsOneOverTheTaskCountForPlainTaskArithmetic() {
        // With unit weights, no normalisation and lambda 1 the merged task vector is the sum of the task vectors,
        // so the paper's alpha (||sum tau|| / ||tau_merged||) / T is 1/3 (up to float rounding of base + tau).
        List<Map<String, Object>> units = List.of(Map.of("weight", 1.0), Map.of("weight", 1.0), Map.of("weight", 1.0));
        RequestBuilder auto = request("task_arithmetic", units).global("normalize", false)
                .lines(new LinesSetting(OptionalDouble.empty(), 0.5));
        Path out = dir.resolve("auto.safetensors");
        var report = new MergeJob(MethodRegistry.load(), MergeOptions.defaults()).run(auto.build(), out);
        assertThat(report.warnings()).containsExactly("LiNeS alpha: auto measured alpha = 0.333333");
        RequestBuilder third = request("task_arithmetic", units).global("normalize", false)
                .lines(new LinesSetting(OptionalDouble.of(1.0 / 3), 0.5));
        Path explicit = dir.resolve("third.safetensors");
        new MergeJob(MethodRegistry.load(), MergeOptions.defaults()).run(third.build(), explicit);
        ReferenceVectors.Comparison c = ReferenceVectors.compare(out, explicit);
        assertThat(c.offByMore()).as("first: %s", c.firstBad()).isZero();
    }

    /** Runs a merge and compares it with mergekit's, excusing only elements in straddling tie groups of a cut. */
    private void assertMatchesExceptThresholdTies(RequestBuilder b, String expected, List<BoundaryTies.Cuts> cuts) {
        Path out = dir.resolve(expected + ".safetensors");
        new MergeJob(MethodRegistry.load(), MergeOptions.defaults()).run(b.build(), out);
        ReferenceVectors.Comparison c = ReferenceVectors.compare(out, ReferenceVectors.expected(expected),
                BoundaryTies.allowed(BoundaryTies.of(cuts)));
        assertThat(c.offByMore()).as("elements more than 1 ulp off outside threshold ties; first: %s", c.firstBad())
                .isZero();
    }

    @Test
    void ties() {
        assertMatchesExceptThresholdTies(request("ties", List.of(Map.of("weight", 1.0, "density", 0.2),
                        Map.of("weight", 1.0, "density", 0.3), Map.of("weight", 1.0, "density", 0.5)))
                        .global("lambda", 1.0), "ties",
                List.of(BoundaryTies.topK(0.2), BoundaryTies.topK(0.3), BoundaryTies.topK(0.5)));
    }

    @Test
    void tiesWeighted() {
        assertMatchesExceptThresholdTies(request("ties", List.of(Map.of("weight", 1.0, "density", 0.5),
                        Map.of("weight", 0.5, "density", 0.5), Map.of("weight", 0.25, "density", 0.5)))
                        .global("lambda", 1.2), "ties_weighted",
                List.of(BoundaryTies.topK(0.5), BoundaryTies.topK(0.5), BoundaryTies.topK(0.5)));
    }

    @Test
    void linesOnTies() {
        assertMatchesExceptThresholdTies(request("ties", List.of(Map.of("weight", 1.0, "density", 0.3),
                        Map.of("weight", 1.0, "density", 0.3), Map.of("weight", 1.0, "density", 0.3)))
                        .global("lambda", 1.0).lines(new LinesSetting(OptionalDouble.of(0.4), 0.6)), "lines_ties",
                List.of(BoundaryTies.topK(0.3), BoundaryTies.topK(0.3), BoundaryTies.topK(0.3)));
    }

    /**
     * Breadcrumbs cuts two rank boundaries per model; bf16 deltas repeat magnitudes, so tie groups straddle them
     * (98 elements at ft1's lower cut of lm_head). summary.json counts no threshold ties for breadcrumbs, but every
     * element beyond 1 ulp lies in such a group (checked independently in numpy: 2,350 of 2,350), so the same
     * exception applies.
     */
    @Test
    void breadcrumbs() {
        assertMatchesExceptThresholdTies(request("breadcrumbs", List.of(
                        Map.of("weight", 1.0, "density", 0.9, "gamma", 0.01),
                        Map.of("weight", 1.0, "density", 0.8, "gamma", 0.01),
                        Map.of("weight", 0.5, "density", 0.9, "gamma", 0.01))).global("lambda", 1.0), "breadcrumbs",
                List.of(BoundaryTies.outliers(0.9, 0.01), BoundaryTies.outliers(0.8, 0.01),
                        BoundaryTies.outliers(0.9, 0.01)));
    }

    @Test
    void breadcrumbsTies() {
        Map<String, Object> p = Map.of("weight", 1.0, "density", 0.7, "gamma", 0.02);
        BoundaryTies.Cuts cut = BoundaryTies.outliers(0.7, 0.02);
        assertMatchesExceptThresholdTies(request("breadcrumbs_ties", List.of(p, p, p)).global("lambda", 1.0),
                "breadcrumbs_ties", List.of(cut, cut, cut));
    }

    @Test
    void linesOnTaskArithmetic() {
        RequestBuilder b = request("task_arithmetic",
                List.of(Map.of("weight", 1.0), Map.of("weight", 1.0), Map.of("weight", 1.0)))
                .global("lambda", 1.0).global("normalize", false)
                .lines(new LinesSetting(OptionalDouble.of(0.3333), 0.5));
        ReferenceVectors.Comparison c = run(b, "lines_ta");
        assertThat(c.offByMore()).as("first: %s", c.firstBad()).isZero();
    }
}
