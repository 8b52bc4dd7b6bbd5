package dev.graft.algorithms;

import dev.graft.core.exec.MergeReport;
import dev.graft.core.plan.PlanException;
import dev.graft.formats.dtype.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class MergeBuilderTest {
    @TempDir
    Path dir;

    @Test
    void mergesIntoAFolderWithConfigCardAndRecipe() throws Exception {
        Path out = dir.resolve("soup");
        MergeReport r = Merge.linear()
                .add(ReferenceVectors.model("ft1"), 0.5)
                .add(ReferenceVectors.model("ft2"), 0.3)
                .add(ReferenceVectors.model("ft3"), 0.2)
                .dtype(DType.F32).outDtype(DType.BF16)
                .write(out);
        assertThat(r.output()).isEqualTo(out.toAbsolutePath());
        assertThat(r.tensors()).isEqualTo(30);
        assertThat(ReferenceVectors.compare(out, ReferenceVectors.expected("linear")).offByMore()).isZero();
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(".graft-manifest.json", "README.md", "config.json", "graft_recipe.yml",
                            "model.safetensors");
        }
        assertThat(Files.readString(out.resolve("config.json"))).contains("\"torch_dtype\": \"bfloat16\"");
        assertThat(Files.readString(out.resolve("graft_recipe.yml"))).isEqualTo("merge_method: linear\n"
                + "models:\n"
                + "  - model: " + ReferenceVectors.model("ft1") + "\n    parameters:\n      weight: 0.5\n"
                + "  - model: " + ReferenceVectors.model("ft2") + "\n    parameters:\n      weight: 0.3\n"
                + "  - model: " + ReferenceVectors.model("ft3") + "\n    parameters:\n      weight: 0.2\n"
                + "dtype: float32\nout_dtype: bfloat16\n");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("soup");
        }
    }

    @Test
    void reportsEveryProblemBeforeMerging() {
        Path out = dir.resolve("never");
        PlanException e = catchThrowableOfType(PlanException.class, () -> Merge.taskArithmetic()
                .base(ReferenceVectors.model("base"))
                .add(ReferenceVectors.model("ft1"), Map.of())
                .add(ReferenceVectors.model("ft2"), Map.of("weight", "heavy"))
                .write(out));
        assertThat(e.problems()).containsExactly(
                "missing required parameter " + ReferenceVectors.model("ft1") + ".weight (first needed for lm_head.weight)",
                ReferenceVectors.model("ft2") + ".weight: expected a number, got heavy");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void refusesAnUnknownMethodAndAMissingBase() {
        assertThat(catchThrowableOfType(PlanException.class, () -> Merge.method("tiez")
                .add(ReferenceVectors.model("ft1"), 1.0).plan()).problems().getFirst())
                .startsWith("unknown merge method \"tiez\"; known: ");
        assertThat(catchThrowableOfType(PlanException.class, () -> Merge.taskArithmetic()
                .add(ReferenceVectors.model("ft1"), 1.0).add(ReferenceVectors.model("ft2"), 1.0).plan()).problems())
                .containsExactly("task_arithmetic needs a base model; give one with base(…)");
    }

    @Test
    void namedModelsDrawTheSameWhereverTheFilesLie() throws Exception {
        for (String copy : new String[] {"a", "b"}) {
            for (String m : new String[] {"base", "ft1", "ft2"}) {
                Path target = dir.resolve(copy).resolve(m + ".safetensors");
                Files.createDirectories(target.getParent());
                Files.copy(ReferenceVectors.model(m).resolve("model.safetensors"), target);
            }
        }
        for (String copy : new String[] {"a", "b"}) {
            Path d = dir.resolve(copy);
            Merge.dareTies().base("base", d.resolve("base.safetensors"))
                    .add("ft1", d.resolve("ft1.safetensors"), Map.of("weight", 1.0, "density", 0.5))
                    .add("ft2", d.resolve("ft2.safetensors"), Map.of("weight", 1.0, "density", 0.5))
                    .seed(7).write(d.resolve("named.safetensors"));
            Merge.dareTies().base(d.resolve("base.safetensors"))
                    .add(d.resolve("ft1.safetensors"), Map.of("weight", 1.0, "density", 0.5))
                    .add(d.resolve("ft2.safetensors"), Map.of("weight", 1.0, "density", 0.5))
                    .seed(7).write(d.resolve("by-path.safetensors"));
        }
        assertThat(Files.mismatch(dir.resolve("a/named.safetensors"), dir.resolve("b/named.safetensors")))
                .isEqualTo(-1);
        // by path, the draws follow the paths, which differ
        assertThat(Files.mismatch(dir.resolve("a/by-path.safetensors"), dir.resolve("b/by-path.safetensors")))
                .isNotEqualTo(-1);
    }
}
