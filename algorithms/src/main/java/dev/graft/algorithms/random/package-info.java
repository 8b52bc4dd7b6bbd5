/**
 * Counter-based random numbers: the number drawn for an element is a pure, documented function of (seed, tensor
 * name, model index, element index), so random sparsification (DARE's Bernoulli drop, DELLA's per-element keep
 * probabilities) gives the same result whatever the chunking, pass count or thread count, and can be regenerated in
 * every pass instead of stored. See {@link dev.graft.algorithms.random.CounterRng} for the exact function.
 */
package dev.graft.algorithms.random;
