package dev.graft.algorithms.kernels;

import dev.graft.algorithms.select.KeepMask;
import dev.graft.algorithms.select.MagnitudeTopK;
import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorOutput;
import dev.graft.core.kernel.TensorParameters;

import java.util.Arrays;

/**
 * mergekit's {@code sce} (Select, Calculate, Erase), with {@code δᵢ = θᵢ − θ_b} over the N models:
 * <ol>
 *   <li>Select, when {@code select_topk < 1}: {@code v_j = (1/N)·Σᵢ (δᵢⱼ − mean_i δᵢⱼ)²}, rounded to float32;
 *       keep the {@code k = ⌊select_topk·#{v_j ≠ 0}⌋} positions of largest {@code v_j} (ties: lower index first),
 *       with {@link MagnitudeTopK} over the variances, and zero every model's delta elsewhere;</li>
 *   <li>Calculate: {@code wᵢ = (1/n)·Σ_j δᵢⱼ²} of the selected deltas, divided by {@code Σ w}, or {@code 1/N} each
 *       when {@code |Σ w| < 1e-6};</li>
 *   <li>Erase: elect {@code +1} where {@code Σᵢ δᵢⱼ ≥ 0}, else {@code −1}; {@code aᵢⱼ = 1} where δᵢⱼ has the
 *       elected sign (never for 0);</li>
 *   <li>{@code θ_j = θ_b,j + s·Σᵢ δᵢⱼ·wᵢ·aᵢⱼ / max(Σᵢ wᵢ·aᵢⱼ, 1e-6)}, s the LiNeS scale.</li>
 * </ol>
 * Passes: with selection, one or two of the selection (the first also counts the nonzero variances), then the
 * weights and the merge; without, the weights and the merge. The deltas are exact differences and the arithmetic
 * runs in double (sums over elements in index order, over models in model order), rounded once.
 */
public final class SceKernel implements TensorKernel {
    /** mergekit's bound on Σ w below which the models are weighted equally. */
    static final double UNIFORM_BELOW = 1e-6;
    /** mergekit's floor on the sum of the agreeing weights. */
    static final double MIN_DIVISOR = 1e-6;

    @Override
    public void merge(TensorInputs in, TensorParameters p, TensorOutput out) {
        DeltaScan scan = new DeltaScan(in);
        int n = scan.modelCount();
        int block = scan.blockLength();
        double topk = p.globalDouble("select_topk");
        double[][] d = new double[n][block];
        Variances variances = new Variances(n, block);
        MagnitudeTopK selection = topk >= 1 ? null : select(scan, d, variances, topk);
        // 1 where the position is selected, 0 where not: multipliers rather than branches, which mispredict on
        // random data (they took the merge pass to about 25 ns per position with three models).
        double[] selected = new double[block];
        Arrays.fill(selected, 1);
        double[] w = weights(scan, selection, d, variances, selected);
        double lines = p.linesScale();
        double[] elected = new double[block];
        double[] mixed = new double[block];
        double[] divisor = new double[block];
        float[] r = new float[block];
        KeepMask mask = selection == null ? null : selection.mask();
        scan.scanInputs((first, len, x, base, off) -> {
            DeltaScan.exactDeltas(x, base, off, len, d);
            if (mask != null) {
                select(mask, variances.of(d, len), len, selected);
            }
            Arrays.fill(elected, 0, len, 0);
            for (double[] dk : d) {
                vote(dk, selected, len, elected);
            }
            // The elected sign, ±1: a zero vote elects +1 (a sum starting at +0 is never −0).
            for (int e = 0; e < len; e++) {
                elected[e] = Math.copySign(1.0, elected[e]);
            }
            Arrays.fill(mixed, 0, len, 0);
            Arrays.fill(divisor, 0, len, 0);
            for (int k = 0; k < n; k++) {
                agreeing(d[k], selected, elected, w[k], len, mixed, divisor);
            }
            for (int e = 0; e < len; e++) {
                r[e] = (float) (base[off + e] + mixed[e] / Math.max(divisor[e], MIN_DIVISOR) * lines);
            }
            out.write(r, 0, len);
        });
    }

    private static void vote(double[] d, double[] selected, int len, double[] vote) {
        for (int e = 0; e < len; e++) {
            vote[e] += d[e] * selected[e];
        }
    }

    /** Adds one model's agreeing terms: {@code mixed += δ·w·a}, {@code divisor += w·a}. */
    private static void agreeing(double[] d, double[] selected, double[] elected, double w, int len, double[] mixed,
                                 double[] divisor) {
        for (int e = 0; e < len; e++) {
            double de = d[e] * selected[e];
            // 1 where the delta has the elected sign, 0 where it has the other or is 0.
            double agree = Math.max(Math.signum(de * elected[e]), 0);
            mixed[e] += de * w * agree;
            divisor[e] += w * agree;
        }
    }

    /**
     * {@code selected[0, len)}: 1 for the positions the mask keeps, 0 for the others. Every kept variance is
     * positive (k is at most the count of nonzero ones), so the zeroed variances' signs say which are kept.
     */
    private static void select(KeepMask mask, float[] variance, int len, double[] selected) {
        mask.zero(variance, 0, len);
        for (int e = 0; e < len; e++) {
            selected[e] = Math.signum(variance[e]);
        }
    }

    /** The variance selection, k from the count of nonzero variances its first pass makes. */
    private static MagnitudeTopK select(DeltaScan scan, double[][] d, Variances variances, double topk) {
        MagnitudeTopK selection = MagnitudeTopK.ofNonzeroFraction(scan.inputs().elements(), topk);
        while (selection.needsPass()) {
            scan.scanInputs((first, len, x, base, off) -> {
                DeltaScan.exactDeltas(x, base, off, len, d);
                selection.accept(variances.of(d, len), 0, len);
            });
            selection.endPass();
        }
        return selection;
    }

    /** Each model's weight: the mean square of its selected delta, normalised to sum 1 (uniform when tiny). */
    private static double[] weights(DeltaScan scan, MagnitudeTopK selection, double[][] d, Variances variances,
                                    double[] selected) {
        int n = scan.modelCount();
        double[] energy = new double[n];
        KeepMask mask = selection == null ? null : selection.mask();
        scan.scanInputs((first, len, x, base, off) -> {
            DeltaScan.exactDeltas(x, base, off, len, d);
            if (mask != null) {
                select(mask, variances.of(d, len), len, selected);
            }
            for (int k = 0; k < n; k++) {
                energy[k] = squares(d[k], selected, len, energy[k]);
            }
        });
        double elements = scan.inputs().elements();
        double total = 0;
        for (int k = 0; k < n; k++) {
            energy[k] /= elements;
            total += energy[k];
        }
        for (int k = 0; k < n; k++) {
            energy[k] = Math.abs(total) < UNIFORM_BELOW ? 1.0 / n : energy[k] / total;
        }
        return energy;
    }

    /** {@code sum} plus the selected {@code δ²} in index order (one running sum: the order is the result's). */
    private static double squares(double[] d, double[] selected, int len, double sum) {
        for (int e = 0; e < len; e++) {
            sum += d[e] * d[e] * selected[e];
        }
        return sum;
    }

    /** The per-position variance of the deltas across the models, block by block, into reused buffers. */
    private static final class Variances {
        private final int n;
        private final double[] mean;
        private final double[] squares;
        private final float[] variance;

        Variances(int n, int block) {
            this.n = n;
            this.mean = new double[block];
            this.squares = new double[block];
            this.variance = new float[block];
        }

        /** {@code v[0, len)} of a block's deltas: their population variance across the models, as float32. */
        float[] of(double[][] d, int len) {
            Arrays.fill(mean, 0, len, 0);
            for (double[] dk : d) {
                add(dk, len, mean);
            }
            divide(mean, len, n);
            Arrays.fill(squares, 0, len, 0);
            for (double[] dk : d) {
                addSquaredDeviations(dk, mean, len, squares);
            }
            for (int e = 0; e < len; e++) {
                variance[e] = (float) (squares[e] / n);
            }
            return variance;
        }

        private static void add(double[] d, int len, double[] sum) {
            for (int e = 0; e < len; e++) {
                sum[e] += d[e];
            }
        }

        private static void divide(double[] v, int len, int by) {
            for (int e = 0; e < len; e++) {
                v[e] /= by;
            }
        }

        private static void addSquaredDeviations(double[] d, double[] mean, int len, double[] squares) {
            for (int e = 0; e < len; e++) {
                double dev = d[e] - mean[e];
                squares[e] += dev * dev;
            }
        }
    }
}
