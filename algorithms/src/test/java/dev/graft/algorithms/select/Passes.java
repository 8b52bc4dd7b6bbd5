package dev.graft.algorithms.select;

/** Drives selectors over in-memory data the way a streaming merge would: chunk by chunk, pass by pass. */
final class Passes {

    private Passes() {
    }

    /** Runs every pending pass, feeding {@code values} in the given chunk sizes; returns the number of passes. */
    static int run(MagnitudeSelector selector, float[] values, int[] chunks) {
        int passes = 0;
        while (selector.needsPass()) {
            int offset = 0;
            for (int size : chunks) {
                selector.accept(values, offset, size);
                offset += size;
            }
            selector.endPass();
            passes++;
        }
        return passes;
    }

    /** Applies a fresh mask in the given chunk sizes, through {@link KeepMask#fill} or per element. */
    static boolean[] decide(MagnitudeSelector selector, float[] values, int[] chunks, boolean perElement) {
        KeepMask mask = selector.mask();
        boolean[] keep = new boolean[values.length];
        int offset = 0;
        for (int size : chunks) {
            if (perElement) {
                for (int i = offset; i < offset + size; i++) {
                    keep[i] = mask.keep(values[i]);
                }
            } else {
                mask.fill(values, offset, size, keep, offset);
            }
            offset += size;
        }
        return keep;
    }

    /**
     * Applies a fresh mask in place, through {@link KeepMask#zero}, on a copy of {@code values}; returns the copy's
     * bits.
     */
    static int[] zeroed(MagnitudeSelector selector, float[] values, int[] chunks) {
        KeepMask mask = selector.mask();
        float[] copy = values.clone();
        int offset = 0;
        for (int size : chunks) {
            mask.zero(copy, offset, size);
            offset += size;
        }
        return bits(copy);
    }

    /** The bits {@link KeepMask#zero} must leave: kept values unchanged, dropped ones +0. */
    static int[] expectedZeroed(float[] values, boolean[] keep) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = keep[i] ? values[i] : 0f;
        }
        return bits(out);
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    /** Chunk sizes {@code size, size, ..., rest} covering {@code n}. */
    static int[] uniform(int n, int size) {
        int[] chunks = new int[(n + size - 1) / size];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = Math.min(size, n - i * size);
        }
        return chunks;
    }
}
