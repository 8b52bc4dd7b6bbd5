package dev.graft.core.kernel;

/**
 * The math of a merge method for one tensor. Implementations read their inputs in as many passes as they need and
 * write every output element once, in order. They must be deterministic functions of their inputs and parameters
 * (random methods derive every random number from the seed, tensor name, model and element index), so the result
 * is the same whatever the thread count or chunk size.
 */
@FunctionalInterface
public interface TensorKernel {
    void merge(TensorInputs inputs, TensorParameters parameters, TensorOutput output);
}
