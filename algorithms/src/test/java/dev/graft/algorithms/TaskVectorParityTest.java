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
