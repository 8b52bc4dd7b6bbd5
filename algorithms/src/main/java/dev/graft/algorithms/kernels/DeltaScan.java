package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorInputs;

/**
 * Task vectors chunk by chunk: for each model, {@code δ = θ − θ_base} over the chunk's elements, computed into
 * reused buffers. Every pass of a task-vector method reads its inputs through this.
 */
public final class DeltaScan {
    /** Receives the deltas of one chunk. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * @param first  index of the chunk's first element
         * @param length elements in the chunk (whole rows)
         * @param deltas {@code deltas[k][0..length)} is model {@code k}'s delta (models in {@link #models()} order);
         *               the buffers are reused and may be modified by the visitor
         * @param base   the base model's values: {@code base[baseOffset .. baseOffset+length)}, read-only
         * @param baseOffset where the chunk starts in {@code base}
         */
        void visit(long first, int length, float[][] deltas, float[] base, int baseOffset);
    }

    private final TensorInputs inputs;
    private final int[] models;
    private final float[][] deltas;

    /** @param inputs a task's inputs; every input but the base is a model whose delta is taken */
    public DeltaScan(TensorInputs inputs) {
        this.inputs = inputs;
        int base = inputs.baseIndex();
        this.models = new int[inputs.count() - 1];
        for (int i = 0, k = 0; i < inputs.count(); i++) {
            if (i != base) {
                models[k++] = i;
            }
        }
        this.deltas = new float[models.length][inputs.maxChunk()];
    }

    /** Input indices of the models, in delta order. */
    public int[] models() {
        return models.clone();
    }

    public int modelCount() {
        return models.length;
    }

    public TensorInputs inputs() {
        return inputs;
    }

    /** One pass over the whole tensor. */
    public void scan(Visitor visitor) {
        int base = inputs.baseIndex();
        inputs.scan((first, len, v, off) -> {
            float[] b = v[base];
            for (int k = 0; k < models.length; k++) {
                float[] x = v[models[k]];
                float[] d = deltas[k];
                for (int e = 0; e < len; e++) {
                    d[e] = x[off + e] - b[off + e];
                }
            }
            visitor.visit(first, len, deltas, b, off);
        });
    }
}
