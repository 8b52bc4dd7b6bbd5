package dev.graft.algorithms.kernels;

import dev.graft.algorithms.sparsify.DeltaMask;
import dev.graft.algorithms.sparsify.Sparsifier;
import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorOutput;
import dev.graft.core.kernel.TensorParameters;

/**
 * The generalized task arithmetic of mergekit ({@code GTATask}), which task arithmetic, TIES, DARE, breadcrumbs and
 * DELLA are configurations of. Per element, with task vectors {@code δᵢ = θᵢ − θ_base}:
 * <ol>
 *   <li>sparsify each δᵢ with its own density ({@link Sparsifier}); with {@code rescale}, scale the survivors so
 *       the delta keeps its L1 norm: {@code × Σ|δᵢ| / Σ|δᵢ kept|} (left as is when either sum is below 1e-7);</li>
 *   <li>weight: {@code wᵢ·δᵢ} (mergekit weights before electing signs);</li>
 *   <li>with sign consensus (TIES), elect {@code +1} where {@code Σ wᵢδᵢ ≥ 0} (or, with
 *       {@code sign_election: paper}, where {@code Σ δᵢ ≥ 0} over the trimmed, unweighted deltas) and keep only the
 *       terms of that sign: {@code mixed = Σ wᵢδᵢ·[agree]}, {@code divisor = Σ wᵢ·[agree]} (1 where 0);
 *       without, {@code mixed = Σ wᵢδᵢ}, {@code divisor = Σ wᵢ} (1 where |Σ wᵢ| &lt; 1e-8);</li>
 *   <li>{@code normalize}: {@code mixed /= divisor}; then {@code mixed *= λ}, then the LiNeS scale of the tensor;</li>
 *   <li>{@code θ = θ_base + mixed}, in float32, rounded once to the output dtype.</li>
 * </ol>
 */
public final class TaskVectorKernel implements TensorKernel {
    /** mergekit's floor on L1 norms below which rescaling is skipped. */
    static final double RESCALE_FLOOR = 1e-7;
    /** mergekit's floor on |Σ wᵢ| below which the linear divisor is 1. */
    static final float DIVISOR_FLOOR = 1e-8f;

    private final Sparsifier sparsifier;
    private final boolean consensus;

    /**
     * @param sparsifier how deltas are sparsified, or null for none
     * @param consensus  whether signs are elected (TIES)
     */
    public TaskVectorKernel(Sparsifier sparsifier, boolean consensus) {
        this.sparsifier = sparsifier;
        this.consensus = consensus;
    }

    @Override
    public void merge(TensorInputs in, TensorParameters p, TensorOutput out) {
        DeltaScan scan = new DeltaScan(in);
        int[] models = scan.models();
        int n = models.length;
        float[] w = new float[n];
        for (int k = 0; k < n; k++) {
            w[k] = (float) p.modelDouble(models[k], "weight", 0);
        }
        DeltaMask[] masks = sparsifier == null ? keepAll(n) : sparsifier.prepare(scan, p);
        float[] scale = rescaleFactors(scan, masks, p);
        boolean normalize = p.globalBoolean("normalize");
        float lambda = (float) p.globalDouble("lambda");
        float lines = (float) p.linesScale();
        boolean paperSigns = consensus && p.global().containsKey("sign_election")
                && "paper".equals(p.globalString("sign_election"));
        float linearDivisor = 0;
        for (float x : w) {
            linearDivisor += x;
        }
        float fixedDivisor = Math.abs(linearDivisor) < DIVISOR_FLOOR ? 1f : linearDivisor;
        for (DeltaMask m : masks) {
            m.restart();
        }
        float[] r = new float[in.maxChunk()];
        scan.scan((first, len, d, base) -> {
            for (int k = 0; k < n; k++) {
                masks[k].apply(first, d[k], len);
            }
            for (int e = 0; e < len; e++) {
                float mixed = 0;
                float divisor;
                if (consensus) {
                    float vote = 0;
                    for (int k = 0; k < n; k++) {
                        float dk = d[k][e] * scale[k];
                        vote += paperSigns ? dk : w[k] * dk;
                    }
                    float majority = vote >= 0 ? 1f : -1f;
                    divisor = 0;
                    for (int k = 0; k < n; k++) {
                        float dk = d[k][e] * scale[k];
                        float weighted = w[k] * dk;
                        float sign = Math.signum(paperSigns ? dk : weighted);
                        if (sign == majority) {
                            mixed += weighted;
                            divisor += w[k];
                        }
                    }
                    if (divisor == 0) {
                        divisor = 1;
                    }
                } else {
                    for (int k = 0; k < n; k++) {
                        mixed += w[k] * (d[k][e] * scale[k]);
                    }
                    divisor = fixedDivisor;
                }
                if (normalize) {
                    mixed /= divisor;
                }
                r[e] = base[e] + mixed * lambda * lines;
            }
            out.write(r, 0, len);
        });
    }

    private static DeltaMask[] keepAll(int n) {
        DeltaMask[] m = new DeltaMask[n];
        java.util.Arrays.fill(m, DeltaMask.KEEP_ALL);
        return m;
    }

    /** With {@code rescale}, each model's {@code Σ|δ| / Σ|δ kept|}, from one more pass; 1 otherwise. */
    private static float[] rescaleFactors(DeltaScan scan, DeltaMask[] masks, TensorParameters p) {
        int n = masks.length;
        float[] scale = new float[n];
        java.util.Arrays.fill(scale, 1f);
        if (!p.global().containsKey("rescale") || !p.globalBoolean("rescale")) {
            return scale;
        }
        double[] full = new double[n];
        double[] kept = new double[n];
        for (DeltaMask m : masks) {
            m.restart();
        }
        scan.scan((first, len, d, base) -> {
            for (int k = 0; k < n; k++) {
                double sum = 0;
                for (int e = 0; e < len; e++) {
                    sum += Math.abs(d[k][e]);
                }
                full[k] += sum;
                masks[k].apply(first, d[k], len);
                double s2 = 0;
                for (int e = 0; e < len; e++) {
                    s2 += Math.abs(d[k][e]);
                }
                kept[k] += s2;
            }
        });
        for (int k = 0; k < n; k++) {
            if (full[k] >= RESCALE_FLOOR && kept[k] >= RESCALE_FLOOR) {
                scale[k] = (float) (full[k] / kept[k]);
            }
        }
        return scale;
    }
}
