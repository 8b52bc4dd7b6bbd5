package dev.graft.algorithms;

import dev.graft.core.plan.PlanException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What the five selective methods refuse before any work, with the exact messages. */
class SelectiveErrorsTest {
    private static final Path BASE = ReferenceVectors.model("base");
    private static final Path FT1 = ReferenceVectors.model("ft1");
    private static final Path FT2 = ReferenceVectors.model("ft2");

    private static java.util.List<String> problems(Merge merge) {
        return catchThrowableOfType(PlanException.class, merge::plan).problems();
    }

    @Test
    void nearswapAndArceeFusionMergeExactlyTheBaseAndOneOtherModel() {
        assertThat(problems(Merge.nearswap().base(BASE).add(FT1, Map.of()).add(FT2, Map.of()).t(0.01)))
                .containsExactly("nearswap merges exactly 2 models including the base, got 3");
        assertThat(problems(Merge.arceeFusion().base(BASE).add(FT1, Map.of()).add(FT2, Map.of())))
                .containsExactly("arcee_fusion merges exactly 2 models including the base, got 3");
        assertThat(problems(Merge.arceeFusion().base(BASE)))
                .containsExactly("arcee_fusion merges exactly 2 models including the base, got 1");
    }

    @Test
    void everyOneNeedsTheBase() {
        assertThat(problems(Merge.nearswap().add(FT1, Map.of()).add(FT2, Map.of()).t(0.01)))
                .containsExactly("nearswap needs a base model; give one with base(…)");
        assertThat(problems(Merge.arceeFusion().add(FT1, Map.of()).add(FT2, Map.of())))
                .containsExactly("arcee_fusion needs a base model; give one with base(…)");
        for (String method : new String[] {"sce", "ram", "ramplus_tl"}) {
            assertThat(problems(Merge.method(method).add(FT1, Map.of()).add(FT2, Map.of())))
                    .containsExactly(method + " needs a base model; give one with base(…)");
            assertThat(problems(Merge.method(method).base(BASE)))
                    .containsExactly(method + " needs at least 2 models including the base, got 1");
        }
    }

    @Test
    void parametersOutsideTheirRangeAndAMissingTAreNamed() {
        assertThat(problems(Merge.nearswap().base(BASE).add(FT1, Map.of())))
                .containsExactly("missing required parameter t (first needed for lm_head.weight)");
        assertThat(problems(Merge.sce().base(BASE).add(FT1, Map.of()).set("select_topk", 1.5)))
                .containsExactly("select_topk must be between 0.0 and 1.0, got 1.5");
        assertThat(problems(Merge.ram().base(BASE).add(FT1, Map.of()).set("epsilon", -1e-5)))
                .containsExactly("epsilon must be >= 0, got -1.0E-5");
        assertThat(problems(Merge.ramPlusTl().base(BASE).add(FT1, Map.of()).add(FT2, Map.of("weight", 1.0))))
                .containsExactly("ramplus_tl has no parameter \"weight\" (its parameters: alpha, epsilon, r)");
        assertThat(problems(Merge.arceeFusion().base(BASE).add(FT1, Map.of()).lines(0.5, 0.5)))
                .containsExactly("lines: LiNeS scales a merged task vector; method arcee_fusion has none");
    }
}
