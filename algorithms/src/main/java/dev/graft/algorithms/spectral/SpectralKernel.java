package dev.graft.algorithms.spectral;

import dev.graft.algorithms.kernels.TaskVectorKernel;
import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.kernel.TensorOutput;
import dev.graft.core.kernel.TensorParameters;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel of every SVD merge: a 2-D tensor is read whole, one matrix per model ({@link TaskMatrices}), merged
 * by the method's {@link MatrixMerge}, and written as {@code θ_base + λ · lines · τ_merged}; any other tensor
 * (norms, biases, scalars) is streamed as {@code θ_base + λ · lines · mean(τᵢ)}, the rule of the authors' code for
 * everything that is not a matrix. Tensors are merged several at once by the executor's threads; each holds only
 * its own matrices.
 */
public final class SpectralKernel implements TensorKernel {
    private final String method;
    private final MatrixMerge merge;
    private final boolean scaled;

    /**
     * @param method the method's name, for messages
     * @param merge  the math for one matrix
     * @param scaled whether the method has a {@code lambda} (WUDI has none: its optimum needs no rescaling)
     */
    public SpectralKernel(String method, MatrixMerge merge, boolean scaled) {
        this.method = method;
        this.merge = merge;
        this.scaled = scaled;
    }

    @Override
    public void merge(TensorInputs in, TensorParameters p, TensorOutput out) {
        double lambda = scaled ? p.globalDouble("lambda") : 1;
        if (in.shape().rank() != 2) {
            mean(in, p, lambda, out);
            return;
        }
        LinearAlgebra la = LinearAlgebra.get();
        try (TaskMatrices tasks = TaskMatrices.read(la, in, p, method);
             Matrix merged = merge.merge(la, tasks.tasks(), p)) {
            TaskMatrices.writeMerged(in, merged, (float) (lambda * p.linesScale()), out);
        }
    }

    /** Task arithmetic with weights 1/T: the streaming kernel with every weight 1, normalized. */
    private static void mean(TensorInputs in, TensorParameters p, double lambda, TensorOutput out) {
        List<Map<String, Object>> weights = new ArrayList<>(Collections.nCopies(in.count(), Map.of("weight", 1.0)));
        Map<String, Object> global = new LinkedHashMap<>();
        global.put("normalize", true);
        global.put("lambda", lambda);
        new TaskVectorKernel(null, false).merge(in,
                new TensorParameters(p.tensor(), p.inputNames(), weights, global, p.seed(), p.linesScale()), out);
    }
}
