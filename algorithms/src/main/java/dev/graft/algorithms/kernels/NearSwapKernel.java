package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorOutput;
import dev.graft.core.kernel.TensorParameters;

/**
 * mergekit's {@code nearswap}, element by element between the base {@code θ_b} and the other model {@code θ₁}:
 * {@code w = clamp(t / max(|θ_b − θ₁|, 1e-6), 0, 1)}, {@code θ = w·θ₁ + (1 − w)·θ_b}. One pass; the arithmetic
 * of each element runs in double and is rounded once.
 */
public final class NearSwapKernel implements TensorKernel {
    /** mergekit's floor on the distance, so that equal values get weight 1 rather than a division by zero. */
    static final double MIN_DISTANCE = 1e-6;

    @Override
    public void merge(TensorInputs in, TensorParameters p, TensorOutput out) {
        int baseIndex = in.baseIndex();
        int otherIndex = 1 - baseIndex;
        double t = p.globalDouble("t");
        float[] r = new float[in.maxChunk()];
        in.lastScan((first, len, v, off) -> {
            float[] base = v[baseIndex];
            float[] other = v[otherIndex];
            for (int e = 0; e < len; e++) {
                double b = base[off + e];
                double x = other[off + e];
                double w = Math.min(Math.max(t / Math.max(Math.abs(b - x), MIN_DISTANCE), 0), 1);
                r[e] = (float) (w * x + (1 - w) * b);
            }
            out.write(r, 0, len);
        });
    }
}
