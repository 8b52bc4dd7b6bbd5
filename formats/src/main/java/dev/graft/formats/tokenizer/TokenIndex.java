package dev.graft.formats.tokenizer;

/**
 * Token → id for a vocabulary of known size: open addressing over two arrays, so that 150k tokens cost no boxed
 * Integer and no entry object each (java.util.HashMap's would double the reader's allocations).
 */
final class TokenIndex {
    private final String[] keys;
    private final int[] values;
    private final int mask;
    private final int shift;

    TokenIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new String[capacity];
        values = new int[capacity];
        mask = capacity - 1;
        shift = Integer.numberOfLeadingZeros(capacity) + 1;
    }

    /** Adds a token unless present; returns the id it already had, or -1 when it was added. */
    int putIfAbsent(String token, int id) {
        int i = slot(token);
        if (keys[i] != null) {
            return values[i];
        }
        keys[i] = token;
        values[i] = id;
        return -1;
    }

    /** The token's id, or -1. */
    int get(String token) {
        int i = slot(token);
        return keys[i] == null ? -1 : values[i];
    }

    private int slot(String token) {
        // Fibonacci hashing: String.hashCode of similar tokens differ mostly in their low bits, which linear probing
        // would turn into long runs of occupied slots; the multiply spreads them over the top bits.
        int i = (token.hashCode() * 0x9E3779B9) >>> shift;
        while (keys[i] != null && !keys[i].equals(token)) {
            i = (i + 1) & mask;
        }
        return i;
    }
}
