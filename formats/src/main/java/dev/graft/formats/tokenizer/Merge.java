package dev.graft.formats.tokenizer;

/**
 * One BPE merge rule: two vocabulary tokens that merge into a third, their concatenation (less the second's
 * continuing-subword prefix, where the model has one); a merge's rank is its position in the list.
 */
public record Merge(String left, String right, String merged) {
}
