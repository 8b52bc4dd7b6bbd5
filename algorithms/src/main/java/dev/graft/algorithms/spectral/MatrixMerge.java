package dev.graft.algorithms.spectral;

import dev.graft.core.kernel.TensorParameters;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;

import java.util.List;

/** The math of an SVD merge for one matrix: the merged task vector from the models' task vectors. */
@FunctionalInterface
public interface MatrixMerge {
    /**
     * @param la    the backend every matrix belongs to
     * @param tasks the task vectors {@code τᵢ = θᵢ − θ_base}, each m × n, at least two; read-only (the caller
     *              closes them)
     * @param p     the tensor's parameters
     * @return the merged task vector, m × n, before {@code lambda} and LiNeS; a new matrix the caller closes
     */
    Matrix merge(LinearAlgebra la, List<Matrix> tasks, TensorParameters p);
}
