package dev.graft.algorithms;

import dev.graft.core.exec.Executor;
import dev.graft.core.exec.MergeOptions;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.plan.FixedParameters;
import dev.graft.core.plan.MergeRequest;
import dev.graft.core.plan.Plan;
import dev.graft.core.plan.PlannedModel;
import dev.graft.core.plan.Planner;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** linear, slerp and model_stock reproduce mergekit's outputs on the reference family, within 1 bf16 ulp. */
class NonTaskVectorParityTest {
    // (task-vector cases live in TaskVectorParityTest)
    @TempDir
    Path dir;

    private Path merge(String method, List<String> models, int base, List<Map<String, Object>> perModel,
                       Map<String, Object> global) {
        List<PlannedModel> planned = models.stream().map(m -> new PlannedModel(m, ReferenceVectors.model(m))).toList();
        MergeRequest request = new MergeRequest(method, planned, base, new FixedParameters(perModel, global),
                Optional.of(DType.F32), Optional.of(DType.BF16), Optional.empty(), 0, "test");
        List<ModelSource> sources = new ArrayList<>();
        try {
            for (PlannedModel m : planned) {
                sources.add(ModelSource.open(m.path()));
            }
            Plan plan = new Planner(MethodRegistry.load()).plan(request, sources);
            Path out = dir.resolve(method + ".safetensors");
            new Executor(MergeOptions.defaults()).run(plan, sources, out);
            return out;
        } finally {
            sources.forEach(ModelSource::close);
        }
    }

    private static void assertMatches(Path out, String expected) {
        ReferenceVectors.Comparison c = ReferenceVectors.compare(out, ReferenceVectors.expected(expected));
        assertThat(c.offByMore()).as("elements more than 1 ulp off; first: %s", c.firstBad()).isZero();
        assertThat(c.elements()).isEqualTo(92_496L);
    }

    @Test
    void linear() {
        Path out = merge("linear", List.of("ft1", "ft2", "ft3"), -1,
                List.of(Map.of("weight", 0.5), Map.of("weight", 0.3), Map.of("weight", 0.2)), Map.of());
        assertMatches(out, "linear");
    }

    @Test
    void slerp() {
        Path out = merge("slerp", List.of("base", "ft1"), 0, List.of(Map.of(), Map.of()), Map.of("t", 0.3));
        assertMatches(out, "slerp");
    }

    @Test
    void modelStock() {
        Path out = merge("model_stock", List.of("base", "ft1", "ft2", "ft3"), 0,
                List.of(Map.of(), Map.of(), Map.of(), Map.of()), Map.of());
        assertMatches(out, "model_stock");
    }
}
