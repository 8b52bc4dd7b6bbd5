package dev.graft.algorithms;

import dev.graft.formats.model.ModelSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The elements a rank cut may legitimately decide either way: where a sparsifier keeps exactly the elements on one
 * side of a rank in the magnitude order of a task vector, and a group of equal magnitudes straddles that rank, any
 * member of the group may be kept; mergekit's unstable sort picks some, ours (index order) may pick others. The
 * contract excepts these "threshold ties" from the 1-ulp comparison.
 */
final class BoundaryTies {
    /** A model's cuts, as ascending ranks, from the tensor's element count. */
    interface Cuts {
        long[] of(long n);
    }

    private BoundaryTies() {
    }

    /** TIES: the cut below the k = ⌊density·n⌋ largest. */
    static Cuts topK(double density) {
        return n -> new long[] {n - (long) (density * n)};
    }

    /** Breadcrumbs: the cuts below ascending rank n_bot and at n − n_top. */
    static Cuts outliers(double density, double gamma) {
        return n -> {
            long target = (long) (density * n);
            long top = (long) (gamma * n);
            long bottom = n - target - top;
            if (bottom < 0) {
                top += bottom;
                bottom = 0;
            }
            return top == 0 ? new long[] {bottom} : new long[] {bottom, n - top};
        };
    }

    /**
     * For each tensor, a mask of the elements in a straddling tie group of any model's cut.
     *
     * @param cuts one per fine-tune, ft1…ftN, in order
     */
    static Map<String, boolean[]> of(List<Cuts> cuts) {
        Map<String, boolean[]> out = new HashMap<>();
        try (ModelSource base = ModelSource.open(ReferenceVectors.model("base"))) {
            for (var spec : base.tensors()) {
                float[] b = base.tensor(spec.name()).toFloatArray();
                boolean[] tied = new boolean[b.length];
                for (int m = 0; m < cuts.size(); m++) {
                    try (ModelSource ft = ModelSource.open(ReferenceVectors.model("ft" + (m + 1)))) {
                        float[] x = ft.tensor(spec.name()).toFloatArray();
                        float[] mag = new float[x.length];
                        for (int i = 0; i < x.length; i++) {
                            mag[i] = Math.abs(x[i] - b[i]);
                        }
                        float[] sorted = mag.clone();
                        Arrays.sort(sorted);
                        for (long cut : cuts.get(m).of(mag.length)) {
                            if (cut <= 0 || cut >= mag.length || sorted[(int) cut - 1] != sorted[(int) cut]) {
                                continue; // the cut falls between different magnitudes: no choice to make
                            }
                            float v = sorted[(int) cut];
                            for (int i = 0; i < mag.length; i++) {
                                tied[i] |= mag[i] == v;
                            }
                        }
                    }
                }
                out.put(spec.name(), tied);
            }
        }
        return out;
    }

    /** Excuses exactly the tied elements. */
    static ReferenceVectors.Allowed allowed(Map<String, boolean[]> ties) {
        return (name, i) -> ties.get(name)[i];
    }
}
