package dev.graft.algorithms.random;

import java.nio.charset.StandardCharsets;

/**
 * Derives the 64-bit key of one random stream from a run's seed, a tensor name and a model index, so that every
 * (tensor, model) pair draws from its own stream and no result depends on the order in which tensors are processed.
 *
 * <p>The exact function, all arithmetic modulo 2^64 ({@link SplitMix64#mix64} is the SplitMix64 finaliser):
 * <pre>
 *   h   = FNV-1a-64 over the UTF-8 bytes of name   (offset basis 0xCBF29CE484222325, prime 0x100000001B3:
 *                                                   for each byte b: h = (h ^ b) * prime)
 *   key = mix64(mix64(mix64(seed) ^ h) + model)
 * </pre>
 */
public final class StreamKey {

    private static final long FNV_OFFSET = 0xCBF2_9CE4_8422_2325L;
    private static final long FNV_PRIME = 0x0000_0100_0000_01B3L;

    private StreamKey() {
    }

    /** The key of the stream for {@code model} (the input model's index) on tensor {@code name} under {@code seed}. */
    public static long of(long seed, String name, long model) {
        return SplitMix64.mix64(SplitMix64.mix64(SplitMix64.mix64(seed) ^ fnv1a64(name)) + model);
    }

    /** FNV-1a, 64-bit, over the UTF-8 encoding of {@code text}. */
    public static long fnv1a64(String text) {
        long h = FNV_OFFSET;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        return h;
    }
}
