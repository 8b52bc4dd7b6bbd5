package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorOutput;
import dev.graft.core.kernel.TensorParameters;

/**
 * Model soups: {@code Σ wᵢ·θᵢ}, divided by {@code Σ wᵢ} when {@code normalize} (mergekit's default). One pass.
 * A zero weight sum with {@code normalize} is refused when the plan is built.
 */
public final class LinearKernel implements TensorKernel {
    @Override
    public void merge(TensorInputs in, TensorParameters p, TensorOutput out) {
        int n = in.count();
        float[] w = new float[n];
        float sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = (float) p.modelDouble(i, "weight", 0);
            sum += w[i];
        }
        float divisor = p.globalBoolean("normalize") ? sum : 1f;
        float[] r = new float[in.maxChunk()];
        in.lastScan((first, len, v, off) -> {
            WeightedSums.soup(v, w, off, len, divisor, r);
            out.write(r, 0, len);
        });
    }
}
