package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.ChunkVisitor;
import dev.graft.core.kernel.TensorInputs;

/**
 * Task vectors block by block: for each model, {@code δ = θ − θ_base} over a block of whole rows, computed into
 * reused buffers. Every pass of a task-vector method reads its inputs through this.
 *
 * <p>The inputs arrive in chunks of about a million elements; the deltas are handed on in {@link RowBlocks}, so
 * that a visitor's loops over several models' deltas find them in the L2 cache.
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

    /** Receives one block's inputs, before any delta is computed (see {@link #deltas}). */
    @FunctionalInterface
    public interface InputVisitor {
        /**
         * @param first  index of the block's first element
         * @param length elements in the block (whole rows)
         * @param models {@code models[k][offset .. offset+length)} is model {@code k}'s block ({@link #models()}
         *               order); read-only
         * @param base   the base model's block, {@code base[offset .. offset+length)}; read-only
         * @param offset where the block starts in those arrays
         */
        void visit(long first, int length, float[][] models, float[] base, int offset);
    }

    private final TensorInputs inputs;
    private final int block;
    private final int[] models;
    private final float[][] deltas;

    /** @param inputs a task's inputs; every input but the base is a model whose delta is taken */
    public DeltaScan(TensorInputs inputs) {
        this.inputs = inputs;
        this.models = RowBlocks.allBut(inputs.count(), inputs.baseIndex());
        this.block = RowBlocks.length(inputs);
        this.deltas = new float[models.length][block];
    }

    /** Input indices of the models, in delta order. */
    public int[] models() {
        return models.clone();
    }

    /** The most elements a block (a visit) holds. */
    public int blockLength() {
        return block;
    }

    public int modelCount() {
        return models.length;
    }

    public TensorInputs inputs() {
        return inputs;
    }

    /** {@code d[0, len) = x[from, from + len) − b[from, from + len)}; static so that C2 vectorises it fully. */
    private static void subtract(float[] x, float[] b, int from, float[] d, int len) {
        for (int e = 0; e < len; e++) {
            d[e] = x[from + e] - b[from + e];
        }
    }

    /**
     * One pass over the whole tensor, in the blocks {@link #scan} uses, handing over the inputs rather than the
     * deltas: for kernels that compute the deltas in their own loops, and ask {@link #deltas} for the blocks they
     * do not.
     */
    public void scanInputs(InputVisitor visitor) {
        scanInputs(visitor, false);
    }

    /** As {@link #scanInputs}, as the last pass (see {@link TensorInputs#lastScan}). */
    public void lastScanInputs(InputVisitor visitor) {
        scanInputs(visitor, true);
    }

    private void scanInputs(InputVisitor visitor, boolean last) {
        int base = inputs.baseIndex();
        float[][] x = new float[models.length][];
        ChunkVisitor blocks = (first, chunk, v, off) -> {
            for (int k = 0; k < models.length; k++) {
                x[k] = v[models[k]];
            }
            for (int at = 0; at < chunk; at += block) {
                visitor.visit(first + at, Math.min(block, chunk - at), x, v[base], off + at);
            }
        };
        if (last) {
            inputs.lastScan(blocks);
        } else {
            inputs.scan(blocks);
        }
    }

    /**
     * The deltas of a block an {@link InputVisitor} was given: {@code deltas[k][0, length)}, in the buffers
     * {@link #scan} uses (reused; the caller may modify them).
     */
    public float[][] deltas(float[][] models, float[] base, int offset, int length) {
        for (int k = 0; k < models.length; k++) {
            subtract(models[k], base, offset, deltas[k], length);
        }
        return deltas;
    }

    /**
     * The exact deltas of a block an {@link InputVisitor} was given, in double:
     * {@code d[k][0, length) = models[k][offset, offset + length) − base[offset, offset + length)}. Kernels whose
     * arithmetic runs in double convert once here and then loop over doubles only: C2 vectorised loops that
     * converted floats as they went in a small driver, but not inside a merge, where they took most of the time.
     */
    public static void exactDeltas(float[][] models, float[] base, int offset, int length, double[][] d) {
        for (int k = 0; k < models.length; k++) {
            difference(models[k], base, offset, length, d[k]);
        }
    }

    private static void difference(float[] x, float[] b, int from, int len, double[] d) {
        for (int e = 0; e < len; e++) {
            d[e] = (double) x[from + e] - b[from + e];
        }
    }

    /** One pass over the whole tensor. */
    public void scan(Visitor visitor) {
        scanInputs(withDeltas(visitor), false);
    }

    /** One pass over the whole tensor, the last (see {@link TensorInputs#lastScan}). */
    public void lastScan(Visitor visitor) {
        scanInputs(withDeltas(visitor), true);
    }

    private InputVisitor withDeltas(Visitor visitor) {
        return (first, len, x, base, offset) -> visitor.visit(first, len, deltas(x, base, offset, len), base, offset);
    }
}
