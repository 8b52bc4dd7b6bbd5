/**
 * The data-free SVD merges (TSV-M, Iso-C, Iso-CTS, WUDI): methods that see each 2-D tensor whole, as one matrix
 * per model, instead of streaming it in chunks. {@link dev.graft.algorithms.spectral.SpectralKernel} reads a
 * matrix's task vectors into {@link dev.graft.linalg.Matrix} objects (peak memory: the matrix times the number of
 * models, plus the method's factors), hands them to a {@link dev.graft.algorithms.spectral.MatrixMerge}, and
 * streams {@code θ_base + λ·τ} out; tensors that are not matrices (norms, biases) take the mean of the task vectors,
 * as the authors' code does. All linear algebra goes through {@link dev.graft.linalg.LinearAlgebra}.
 */
package dev.graft.algorithms.spectral;
