package dev.graft.algorithms;

import dev.graft.core.plan.PlanException;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** DARE and DELLA: deterministic for a seed whatever the thread count, and statistically what they claim. */
class RandomMethodsTest {
    @TempDir
    Path dir;

    private static final Path BASE = ReferenceVectors.model("base");
    private static final Path FT1 = ReferenceVectors.model("ft1");
    private static final Path FT2 = ReferenceVectors.model("ft2");

    private Path merge(Merge m, String name) {
        Path out = dir.resolve(name + ".safetensors");
        m.dtype(DType.F32).outDtype(DType.F32).write(out);
        return out;
    }

    /** For each element of every tensor: delta of ft1, and what the merge changed. */
    private record Deltas(float[] ft, float[] merged) {
    }

    private static Deltas deltas(Path merged) {
        try (ModelSource b = ModelSource.open(BASE); ModelSource f = ModelSource.open(FT1);
             ModelSource m = ModelSource.open(merged)) {
            int n = b.tensors().stream().mapToInt(s -> (int) s.elementCount()).sum();
            float[] ft = new float[n];
            float[] mg = new float[n];
            int o = 0;
            for (TensorSpec s : b.tensors()) {
                float[] bv = b.tensor(s.name()).toFloatArray();
                float[] fv = f.tensor(s.name()).toFloatArray();
                float[] mv = m.tensor(s.name()).toFloatArray();
                for (int i = 0; i < bv.length; i++, o++) {
                    ft[o] = fv[i] - bv[i];
                    mg[o] = mv[i] - bv[i];
                }
            }
            return new Deltas(ft, mg);
        }
    }

    @Test
    void dareIsTheSameOnOneAndTwoThreadsAndChangesWithTheSeed() throws IOException {
        Path one = merge(Merge.dareTies().base(BASE).add(FT1, 1.0, 0.5).add(FT2, 1.0, 0.5).seed(7).threads(1), "one");
        Path two = merge(Merge.dareTies().base(BASE).add(FT1, 1.0, 0.5).add(FT2, 1.0, 0.5).seed(7).threads(2), "two");
        Path other = merge(Merge.dareTies().base(BASE).add(FT1, 1.0, 0.5).add(FT2, 1.0, 0.5).seed(8), "other");
        assertThat(Files.readAllBytes(one)).isEqualTo(Files.readAllBytes(two));
        assertThat(Files.readAllBytes(one)).isNotEqualTo(Files.readAllBytes(other));
    }

    @Test
    void dareKeepsTheDensityFractionAndRescalesToTheL1Norm() {
        Deltas d = deltas(merge(Merge.dareLinear().base(BASE).add(FT1, 1.0, 0.3).rescale(false).seed(1), "plain"));
        long nonzero = 0;
        long kept = 0;
        for (int i = 0; i < d.ft().length; i++) {
            if (d.ft()[i] != 0) {
                nonzero++;
                if (d.merged()[i] != 0) {
                    kept++;
                    assertThat(d.merged()[i]).isEqualTo(d.ft()[i]);
                }
            }
        }
        // 92,496 elements: the standard deviation of the kept fraction is about 0.0015.
        assertThat((double) kept / nonzero).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.006));

        Deltas r = deltas(merge(Merge.dareLinear().base(BASE).add(FT1, 1.0, 0.3).seed(1), "rescaled"));
        double l1ft = 0;
        double l1merged = 0;
        for (int i = 0; i < r.ft().length; i++) {
            l1ft += Math.abs(r.ft()[i]);
            l1merged += Math.abs(r.merged()[i]);
        }
        assertThat(l1merged / l1ft).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void dareAtDensityOneIsTaskArithmetic() throws IOException {
        Path dare = merge(Merge.dareLinear().base(BASE).add(FT1, 0.7, 1.0).add(FT2, 0.4, 1.0), "dare");
        Path ta = merge(Merge.taskArithmetic().base(BASE).add(FT1, 0.7).add(FT2, 0.4), "ta");
        assertThat(Files.readAllBytes(dare)).isEqualTo(Files.readAllBytes(ta));
    }

    @Test
    void dellaKeepsLargerEntriesMoreOften() {
        Deltas d = deltas(merge(Merge.dellaLinear().base(BASE)
                .add(FT1, Map.of("weight", 1.0, "density", 0.5, "epsilon", 0.3)).rescale(false).seed(3), "della"));
        // Compare keep rates of entries above and below the median |delta|: expected 0.5 ± epsilon/2 on average.
        float[] mags = new float[d.ft().length];
        for (int i = 0; i < mags.length; i++) {
            mags[i] = Math.abs(d.ft()[i]);
        }
        float[] sorted = mags.clone();
        java.util.Arrays.sort(sorted);
        float median = sorted[sorted.length / 2];
        long hi = 0;
        long hiKept = 0;
        long lo = 0;
        long loKept = 0;
        for (int i = 0; i < mags.length; i++) {
            if (d.ft()[i] == 0) {
                continue;
            }
            boolean kept = d.merged()[i] != 0;
            if (mags[i] > median) {
                hi++;
                hiKept += kept ? 1 : 0;
            } else if (mags[i] < median) {
                lo++;
                loKept += kept ? 1 : 0;
            }
        }
        assertThat((double) hiKept / hi).isBetween(0.60, 0.70);
        assertThat((double) loKept / lo).isBetween(0.30, 0.40);
    }

    @Test
    void dellaLimitsAreCheckedBeforeMerging() {
        PlanException e = catchThrowableOfType(PlanException.class, () -> Merge.della().base(BASE)
                .add(FT1, Map.of("weight", 1.0, "density", 0.9, "epsilon", 0.15)).plan());
        assertThat(e.problems()).containsExactly(FT1 + ": della needs 0 < density - epsilon and density + epsilon < 1,"
                + " got density 0.9 and epsilon 0.15 (first at lm_head.weight)");
    }

    @Test
    void paperSignElectionIgnoresTheWeights() throws IOException {
        // With weights 1 and 1 the two rules agree; with a tiny weight on one model they differ where signs conflict.
        Path a = merge(Merge.ties().base(BASE).add(FT1, 1.0, 0.5).add(FT2, 1.0, 0.5), "a");
        Path b = merge(Merge.ties().base(BASE).add(FT1, 1.0, 0.5).add(FT2, 1.0, 0.5).set("sign_election", "paper"), "b");
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        Path c = merge(Merge.ties().base(BASE).add(FT1, 0.1, 0.5).add(FT2, 1.0, 0.5), "c");
        Path p = merge(Merge.ties().base(BASE).add(FT1, 0.1, 0.5).add(FT2, 1.0, 0.5).set("sign_election", "paper"), "p");
        assertThat(Files.readAllBytes(c)).isNotEqualTo(Files.readAllBytes(p));
    }

    @Test
    void filterWiseModelStockDiffersFromWholeTensor() throws IOException {
        Path whole = merge(Merge.modelStock().base(BASE).add(FT1, Map.of()).add(FT2, Map.of()), "whole");
        Path rows = merge(Merge.modelStock().base(BASE).add(FT1, Map.of()).add(FT2, Map.of()).set("filter_wise", true),
                "rows");
        assertThat(Files.readAllBytes(whole)).isNotEqualTo(Files.readAllBytes(rows));
    }
}
