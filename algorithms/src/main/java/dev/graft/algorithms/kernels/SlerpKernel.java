package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorOutput;
import dev.graft.core.kernel.TensorParameters;

/**
 * Spherical linear interpolation from the base model {@code v0} to the other model {@code v1}, treating each whole
 * tensor as one vector, as mergekit's {@code slerp} does:
 * <pre>
 *   d = (v0/‖v0‖)·(v1/‖v1‖)             (a norm ≤ 1e-8 is left unnormalised)
 *   |d| &gt; 0.9995:  (1−t)·v0 + t·v1      (nearly parallel: plain lerp)
 *   else:          θ = acos d,  s0 = sin((1−t)θ)/sin θ,  s1 = sin(tθ)/sin θ,  s0·v0 + s1·v1
 * </pre>
 * Two passes: norms and dot product, then the combination. Sums run in double.
 */
public final class SlerpKernel implements TensorKernel {
    /** mergekit's threshold above which the vectors count as parallel. */
    static final double DOT_THRESHOLD = 0.9995;
    /** mergekit's epsilon below which a norm is not divided by. */
    static final double EPS = 1e-8;

    @Override
    public void merge(TensorInputs in, TensorParameters p, TensorOutput out) {
        int i0 = in.baseIndex();
        int i1 = 1 - i0;
        double t = p.globalDouble("t");
        double[] acc = new double[3]; // ‖v0‖², ‖v1‖², v0·v1
        in.scan((first, len, v, off) -> {
            float[] a = v[i0];
            float[] b = v[i1];
            double aa = 0;
            double bb = 0;
            double ab = 0;
            for (int e = off; e < off + len; e++) {
                aa += (double) a[e] * a[e];
                bb += (double) b[e] * b[e];
                ab += (double) a[e] * b[e];
            }
            acc[0] += aa;
            acc[1] += bb;
            acc[2] += ab;
        });
        double n0 = Math.sqrt(acc[0]);
        double n1 = Math.sqrt(acc[1]);
        double dot = acc[2] / (n0 > EPS ? n0 : 1) / (n1 > EPS ? n1 : 1);
        float s0;
        float s1;
        if (Math.abs(dot) > DOT_THRESHOLD) {
            s0 = (float) (1 - t);
            s1 = (float) t;
        } else {
            double theta = Math.acos(dot);
            double sin = Math.sin(theta);
            s0 = (float) (Math.sin(theta - t * theta) / sin);
            s1 = (float) (Math.sin(t * theta) / sin);
        }
        float[] r = new float[in.maxChunk()];
        in.scan((first, len, v, off) -> {
            float[] a = v[i0];
            float[] b = v[i1];
            for (int e = 0; e < len; e++) {
                r[e] = s0 * a[off + e] + s1 * b[off + e];
            }
            out.write(r, 0, len);
        });
    }
}
