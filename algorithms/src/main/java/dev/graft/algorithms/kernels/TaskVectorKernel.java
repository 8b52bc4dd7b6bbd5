package dev.graft.algorithms.kernels;

import dev.graft.algorithms.simd.ConsensusLanes;
import dev.graft.algorithms.simd.Simd;
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
    /** Elements per block of the merge loops: 16 KiB per array. */
    private static final int BLOCK = 4096;

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
        int cap = in.maxChunk();
        float[] r = new float[cap];
        float[] vote = new float[cap];
        float[] mixed = new float[cap];
        float[] divisor = new float[cap];
        float factor = lambda * lines;
        float[] voteWeight = new float[n];
        float[] signOfW = new float[n];
        for (int k = 0; k < n; k++) {
            voteWeight[k] = paperSigns ? 1f : w[k];
            signOfW[k] = paperSigns ? Math.signum(w[k]) : 1f;
        }
        // With the Vector API, when every mask decides by a bound (TIES' magnitude masks on finite data), a block
        // whose every mask is settled is merged straight from the inputs, deltas and masks in registers. The other
        // blocks are then rare (where a tie quota runs out) and take the scalar loops: vector code that runs rarely
        // stays unoptimised for long, allocating at every operation (it took a 700 MB merge to 1.6 GB resident).
        boolean vectors = Simd.active();
        boolean fused = consensus && vectors;
        for (DeltaMask m : masks) {
            fused &= m.decidesByBound();
        }
        boolean vectorBlocks = vectors && !fused;
        DeltaScan.Visitor deltaBlock = (first, len, d, base, bo) -> {
            for (int k = 0; k < n; k++) {
                masks[k].apply(first, d[k], len);
            }
            // Blocks small enough that every array of a block stays in the L2 cache across the loops below.
            for (int from = 0; from < len; from += BLOCK) {
                int to = Math.min(len, from + BLOCK);
                if (consensus) {
                    // All models in one pass over the block when the Vector API is there; the scalar loops finish
                    // what is left (or do it all).
                    int done = vectorBlocks ? ConsensusLanes.merge(d, w, scale, voteWeight, signOfW, normalize,
                            factor, base, bo, from, to, r) : from;
                    if (done < to) {
                        consensus(d, w, scale, paperSigns, normalize, factor, base, bo, done, to, vote, mixed, divisor,
                                r);
                    }
                } else {
                    linear(d, w, scale, normalize ? fixedDivisor : 1f, factor, base, bo, from, to, mixed, r);
                }
            }
            out.write(r, 0, len);
        };
        if (!consensus && keepsAll(masks) && unscaled(scale)) {
            // Task arithmetic: nothing to mask or rescale, so the deltas need no buffers of their own; the same
            // arithmetic, in the same order, straight from the inputs (one write and read of every delta less).
            float div = normalize ? fixedDivisor : 1f;
            scan.lastScanInputs((first, len, x, base, offset) -> {
                WeightedSums.taskVectors(x, w, base, offset, len, div, factor, r);
                out.write(r, 0, len);
            });
            return;
        }
        if (!fused) {
            scan.lastScan(deltaBlock);
            return;
        }
        float[] bound = new float[n];
        float[] tie = new float[n];
        long[] tied = new long[n];
        float[] scratch = new float[ConsensusLanes.scratchLength(n)];
        scan.lastScanInputs((first, len, x, base, offset) -> {
            for (int k = 0; k < n; k++) {
                bound[k] = masks[k].settledBound(len);
                if (Float.isNaN(bound[k])) {
                    // The tie quota left is shorter than the block, which bf16 deltas make common: a tie group of
                    // thousands of elements spreads its quota's end over hundreds of blocks. Counted, the block's
                    // ties usually still fit, and the block stays on the fused path.
                    bound[k] = masks[k].settledBound(len, tiesIn(x[k], base, offset, len, masks[k].tieMagnitude()));
                }
                if (Float.isNaN(bound[k])) {
                    deltaBlock.visit(first, len, scan.deltas(x, base, offset, len), base, offset);
                    return;
                }
                tie[k] = masks[k].tieMagnitude();
            }
            ConsensusLanes.mergeMasked(x, base, offset, len, bound, tie, tied, w, scale, voteWeight, signOfW,
                    normalize, factor, r, scratch);
            for (int k = 0; k < n; k++) {
                masks[k].skip(len, tied[k]);
            }
            out.write(r, 0, len);
        });
    }

    /**
     * Elements {@code [from, to)} of a chunk without sign election. Array-at-a-time loops (model outer, element
     * inner) that C2 vectorises; the arithmetic and its order per element are those of the class formula.
     */
    private static void linear(float[][] d, float[] w, float[] scale, float div, float factor, float[] base, int bo,
                               int from, int to, float[] mixed, float[] r) {
        java.util.Arrays.fill(mixed, from, to, 0f);
        for (int k = 0; k < d.length; k++) {
            float[] dk = d[k];
            scale(dk, scale[k], from, to);
            float wk = w[k];
            for (int e = from; e < to; e++) {
                mixed[e] += wk * dk[e];
            }
        }
        for (int e = from; e < to; e++) {
            r[e] = base[bo + e] + (mixed[e] / div) * factor;
        }
    }

    /** How many of {@code |x[offset + e] − base[offset + e]|}, {@code e < length}, equal {@code tie} (none for NaN). */
    private static long tiesIn(float[] x, float[] base, int offset, int length, float tie) {
        long tied = 0;
        for (int e = offset; e < offset + length; e++) {
            tied += Math.abs(x[e] - base[e]) == tie ? 1 : 0;
        }
        return tied;
    }

    private static boolean keepsAll(DeltaMask[] masks) {
        for (DeltaMask m : masks) {
            if (m != DeltaMask.KEEP_ALL) {
                return false;
            }
        }
        return true;
    }

    private static boolean unscaled(float[] scale) {
        for (float s : scale) {
            if (s != 1f) {
                return false;
            }
        }
        return true;
    }

    /** Elements {@code [from, to)} of a chunk with TIES' sign election; see {@link #linear} on the loop shapes. */
    static void consensus(float[][] d, float[] w, float[] scale, boolean paperSigns, boolean normalize,
                          float factor, float[] base, int bo, int from, int to,
                          float[] vote, float[] mixed, float[] divisor, float[] r) {
        int n = d.length;
        java.util.Arrays.fill(vote, from, to, 0f);
        java.util.Arrays.fill(mixed, from, to, 0f);
        java.util.Arrays.fill(divisor, from, to, 0f);
        for (int k = 0; k < n; k++) {
            float[] dk = d[k];
            scale(dk, scale[k], from, to);
            float wk = paperSigns ? 1f : w[k];
            for (int e = from; e < to; e++) {
                vote[e] += wk * dk[e];
            }
        }
        // The elected sign, ±1: a tie elects +1 (vote starts at +0 and a sum of terms is never −0 in
        // round-to-nearest). Arithmetic on the values, not on their bits through a segment: C2 vectorises plain
        // array loops wherever it compiles them, segment accesses only in some contexts (see MaskLoops).
        for (int e = from; e < to; e++) {
            vote[e] = Math.copySign(1f, vote[e]);
        }
        for (int k = 0; k < n; k++) {
            float wk = w[k];
            float sw = paperSigns ? Math.signum(wk) : 1f; // sign(δ) = sign(wδ)·sign(w)
            float[] dk = d[k];
            for (int e = from; e < to; e++) {
                float weighted = wk * dk[e];
                // 1 where the term has the elected sign, 0 where it has the other or is 0: a multiplier rather
                // than a branch, which would mispredict on random signs.
                float agree = Math.max(Math.signum(weighted * sw * vote[e]), 0f);
                mixed[e] += weighted * agree;
                divisor[e] += wk * agree;
            }
        }
        if (normalize) {
            // 1 where no weight agreed (about half the elements at TIES densities, at random: a branch would
            // mispredict): 1 − |signum(d)| is 1 for ±0 and 0 for any other divisor, NaN for NaN.
            for (int e = from; e < to; e++) {
                divisor[e] += 1f - Math.abs(Math.signum(divisor[e]));
            }
            for (int e = from; e < to; e++) {
                r[e] = base[bo + e] + (mixed[e] / divisor[e]) * factor;
            }
        } else {
            for (int e = from; e < to; e++) {
                r[e] = base[bo + e] + mixed[e] * factor;
            }
        }
    }

    private static void scale(float[] dk, float s, int from, int to) {
        if (s != 1f) {
            for (int e = from; e < to; e++) {
                dk[e] *= s;
            }
        }
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
        double[] sums = new double[n];
        scan.scan((first, len, d, base, bo) -> {
            // Per model the chunk's sums as they always were (element order from +0, then into the total); only the
            // models' chains now run side by side (L1Sums). Each mask changes its own model's deltas only.
            L1Sums.of(d, len, sums);
            for (int k = 0; k < n; k++) {
                full[k] += sums[k];
                masks[k].apply(first, d[k], len);
            }
            L1Sums.of(d, len, sums);
            for (int k = 0; k < n; k++) {
                kept[k] += sums[k];
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
