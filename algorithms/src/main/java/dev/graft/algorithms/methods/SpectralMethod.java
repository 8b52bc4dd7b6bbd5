package dev.graft.algorithms.methods;

import dev.graft.algorithms.spectral.MatrixMerge;
import dev.graft.algorithms.spectral.SpectralKernel;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.ParameterDef;
import dev.graft.formats.tensor.Shape;


/**
 * What the data-free SVD merges share: a base model and at least two fine-tunes, no per-model parameter (each
 * derives the models' shares from their singular vectors), task-vector methods (LiNeS applies), and a
 * {@link SpectralKernel} that holds each 2-D tensor whole; their working set, stated in the dry run, is the matrix
 * times the number of models plus the method's factors.
 */
abstract class SpectralMethod extends UnweightedMethod {
    /** {@code lambda}, the scale of the merged task vector. */
    static final ParameterDef LAMBDA = ParameterDef.number("lambda", 1.0, "scale of the merged task vector");

    /** The base and two fine-tunes: with one task vector there is nothing to merge. */
    SpectralMethod() {
        super(true, 3, 0);
    }

    /** The math for one matrix. */
    abstract MatrixMerge matrixMerge();

    /** Whether the method has {@code lambda}. */
    boolean scaled() {
        return true;
    }

    /**
     * Matrices of m × n float32 the method holds beside the task vectors at its peak (its factors, sums and
     * products), for {@link #workingBytes}.
     */
    abstract int scratchMatrices();

    /** The SVD merges come from papers after mergekit's methods; mergekit has none of them. */
    @Override
    public final boolean mergekit() {
        return false;
    }

    /** For a matrix: (T task vectors + the method's scratch) × m × n float32, plus an n × n Gram for WUDI. */
    @Override
    public long workingBytes(Shape shape, int inputs) {
        if (shape.rank() != 2) {
            return 0;
        }
        long mn = shape.elementCount();
        return Float.BYTES * ((inputs - 1 + scratchMatrices()) * mn) + gramBytes(shape.dim(0), shape.dim(1));
    }

    /**
     * Bytes of square matrices beyond {@link #scratchMatrices()}: by default the r × r ones of the Gram-path SVD
     * (SvdPolicy), r the short side: the Gram matrix, the eigensolver's copy and its eigenvectors, and the first
     * pass's eigenvectors kept through a second pass.
     */
    long gramBytes(long rows, long cols) {
        long small = Math.min(rows, cols);
        return 4L * Float.BYTES * small * small;
    }

    @Override
    public final TensorKernel kernel() {
        return new SpectralKernel(name(), matrixMerge(), scaled());
    }
}
