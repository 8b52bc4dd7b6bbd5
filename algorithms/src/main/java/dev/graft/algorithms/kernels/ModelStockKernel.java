package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorOutput;
import dev.graft.core.kernel.TensorParameters;

/**
 * Model Stock (Jang et al., 2024), as mergekit computes it: with offsets {@code oᵢ = θᵢ − θ₀} of the N fine-tunes
 * from the base,
 * <pre>
 *   cos = mean over pairs i&lt;j of  oᵢ·oⱼ / max(‖oᵢ‖‖oⱼ‖, 1e-6)   (each clamped to [−1, 1])
 *   t   = N·cos / (1 + (N−1)·cos)
 *   θ   = t·mean(θᵢ) + (1−t)·θ₀
 * </pre>
 * over the whole tensor, or per row with {@code filter_wise} (a 1-D tensor is one row). Whole-tensor mode takes two
 * passes (dot products, then the combination); filter-wise takes one, since chunks hold whole rows.
 */
public final class ModelStockKernel implements TensorKernel {
    /** mergekit's floor on the product of norms. */
    static final double NORM_FLOOR = 1e-6;

    @Override
    public void merge(TensorInputs in, TensorParameters p, TensorOutput out) {
        int base = in.baseIndex();
        int[] fts = new int[in.count() - 1];
        for (int i = 0, k = 0; i < in.count(); i++) {
            if (i != base) {
                fts[k++] = i;
            }
        }
        boolean filterWise = p.globalBoolean("filter_wise");
        float[] r = new float[in.maxChunk()];
        if (!filterWise) {
            double[][] gram = new double[fts.length][fts.length];
            in.scan((first, len, v, off) -> accumulate(v, base, fts, off, off + len, gram));
            float t = (float) interpolation(gram, fts.length);
            in.scan((first, len, v, off) -> {
                combine(v, base, fts, off, off + len, t, r, -off);
                out.write(r, 0, len);
            });
            return;
        }
        int row = (int) in.rowLength();
        double[][] gram = new double[fts.length][fts.length];
        in.scan((first, len, v, off) -> {
            for (int s = off; s < off + len; s += row) {
                for (double[] g : gram) {
                    java.util.Arrays.fill(g, 0);
                }
                accumulate(v, base, fts, s, s + row, gram);
                combine(v, base, fts, s, s + row, (float) interpolation(gram, fts.length), r, -off);
            }
            out.write(r, 0, len);
        });
    }

    /** Adds the offsets' dot products over elements [from, to) to {@code gram}. */
    private static void accumulate(float[][] v, int base, int[] fts, int from, int to, double[][] gram) {
        float[] b = v[base];
        for (int x = 0; x < fts.length; x++) {
            float[] vx = v[fts[x]];
            for (int y = x; y < fts.length; y++) {
                float[] vy = v[fts[y]];
                double dot = 0;
                for (int e = from; e < to; e++) {
                    dot += (double) (vx[e] - b[e]) * (vy[e] - b[e]);
                }
                gram[x][y] += dot;
            }
        }
    }

    /** The Model Stock ratio t from the offsets' Gram matrix (upper triangle). */
    static double interpolation(double[][] gram, int n) {
        double sum = 0;
        int pairs = 0;
        for (int x = 0; x < n; x++) {
            for (int y = x + 1; y < n; y++) {
                double norms = Math.sqrt(gram[x][x]) * Math.sqrt(gram[y][y]);
                double cos = gram[x][y] / Math.max(norms, NORM_FLOOR);
                sum += Math.max(-1, Math.min(1, cos));
                pairs++;
            }
        }
        double cos = sum / pairs;
        return n * cos / (1 + (n - 1) * cos);
    }

    /** Writes elements [from, to) of the inputs, combined, to {@code r[e + shift]}. */
    private static void combine(float[][] v, int base, int[] fts, int from, int to, float t, float[] r, int shift) {
        float[] b = v[base];
        float inv = 1f / fts.length;
        for (int e = from; e < to; e++) {
            float mean = 0;
            for (int f : fts) {
                mean += v[f][e];
            }
            r[e + shift] = t * (mean * inv) + (1 - t) * b[e];
        }
    }
}
