package dev.graft.algorithms.spectral;

import dev.graft.algorithms.kernels.UnmergeableTensorException;
import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.kernel.TensorOutput;
import dev.graft.core.kernel.TensorParameters;
import dev.graft.formats.tensor.FiniteScan;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The task vectors {@code τᵢ = θᵢ − θ_base} of one 2-D tensor, each held whole as a matrix: what an SVD merge needs
 * and what makes its memory the matrix times the number of models. Read in one pass over the inputs; a task vector
 * holding NaN or infinities is refused here, before any decomposition, since an SVD of it is undefined.
 */
final class TaskMatrices implements AutoCloseable {
    private final List<Matrix> tasks;

    private TaskMatrices(List<Matrix> tasks) {
        this.tasks = tasks;
    }

    /**
     * Reads every model's task vector of a 2-D tensor.
     *
     * @param method the method's name, for messages
     * @throws UnmergeableTensorException naming the tensor and the model when a task vector is not finite, or
     *                                    when fewer than two models are left besides the base
     */
    static TaskMatrices read(LinearAlgebra la, TensorInputs in, TensorParameters p, String method) {
        int base = in.baseIndex();
        int[] models = new int[in.count() - (base >= 0 ? 1 : 0)];
        for (int i = 0, k = 0; i < in.count(); i++) {
            if (i != base) {
                models[k++] = i;
            }
        }
        if (base < 0 || models.length < 2) {
            throw new UnmergeableTensorException(p.tensor(), method + " needs a base model and at least two models "
                    + "besides it for tensor " + p.tensor() + ", got " + models.length
                    + (base < 0 ? " and no base" : ""));
        }
        int rows = Math.toIntExact(in.shape().dim(0));
        int cols = Math.toIntExact(in.shape().dim(1));
        List<Matrix> tasks = new ArrayList<>();
        try {
            for (int k = 0; k < models.length; k++) {
                tasks.add(la.zeros(rows, cols));
            }
            long[] nonFinite = new long[models.length];
            float[] delta = new float[in.maxChunk()];
            in.scan((first, length, values, offset) -> {
                float[] b = values[base];
                for (int k = 0; k < models.length; k++) {
                    float[] x = values[models[k]];
                    for (int e = 0; e < length; e++) {
                        delta[e] = x[offset + e] - b[offset + e];
                    }
                    nonFinite[k] += FiniteScan.countNonFinite(delta, 0, length);
                    MemorySegment.copy(delta, 0, tasks.get(k).data(), Matrix.ELEMENT, first * Float.BYTES, length);
                }
            });
            for (int k = 0; k < models.length; k++) {
                if (nonFinite[k] > 0) {
                    throw new UnmergeableTensorException(p.tensor(), method + " cannot merge tensor " + p.tensor()
                            + ": the task vector of " + p.inputNames().get(models[k]) + " holds " + nonFinite[k]
                            + " non-finite value" + (nonFinite[k] == 1 ? "" : "s") + " (NaN or ±Inf, in the model "
                            + "or its difference from the base), and an SVD of it is undefined; nothing was written");
                }
            }
            return new TaskMatrices(tasks);
        } catch (RuntimeException | Error e) {
            tasks.forEach(Matrix::close);
            throw e;
        }
    }

    /** The task vectors, in input order without the base; closed with this object. */
    List<Matrix> tasks() {
        return tasks;
    }

    /**
     * Writes {@code θ = θ_base + factor · merged}, element by element in float32, reading the base again from the
     * inputs (so it is not held beside the task vectors).
     */
    static void writeMerged(TensorInputs in, Matrix merged, float factor, TensorOutput out) {
        int base = in.baseIndex();
        float[] r = new float[in.maxChunk()];
        in.scan((first, length, values, offset) -> {
            MemorySegment.copy(merged.data(), Matrix.ELEMENT, first * Float.BYTES, r, 0, length);
            float[] b = values[base];
            for (int e = 0; e < length; e++) {
                r[e] = b[offset + e] + r[e] * factor;
            }
            out.write(r, 0, length);
        });
    }

    @Override
    public void close() {
        tasks.forEach(Matrix::close);
    }
}
