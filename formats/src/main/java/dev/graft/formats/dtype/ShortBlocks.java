package dev.graft.formats.dtype;

/** A per-thread block of 16-bit values that the half-precision codecs copy a segment's bits through. */
final class ShortBlocks {
    /** 8 KiB: small enough for L1, large enough that the copy's checks do not count. */
    private static final int LENGTH = 4096;
    private static final ThreadLocal<short[]> BLOCK = ThreadLocal.withInitial(() -> new short[LENGTH]);

    private ShortBlocks() {
    }

    static short[] get() {
        return BLOCK.get();
    }
}
