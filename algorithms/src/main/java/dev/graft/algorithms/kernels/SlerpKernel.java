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
 * Two passes ({@link PointScan}): norms and dot product (in double, the same bits in any chunking), then the
 * combination {@code s0·v0 + s1·v1} in float32.
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
        // Both inputs as points: ‖v0‖², ‖v1‖² and v0·v1 from their Gram matrix, the same bits in any chunking.
        PointScan scan = new PointScan(in, false);
        Gram g = scan.gram();
        double n0 = g.norm(i0);
        double n1 = g.norm(i1);
        double dot = g.get(i0, i1) / (n0 > EPS ? n0 : 1) / (n1 > EPS ? n1 : 1);
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
        float[] c = new float[2];
        c[i0] = s0;
        c[i1] = s1;
        scan.write(c, out);
    }
}
