package dev.graft.formats.gguf;

/** The C library rounding ggml's quantizers use, and the refusals the block codecs share. */
final class RoundingRules {
    private RoundingRules() {
    }

    /**
     * C's {@code roundf}: to the nearest integer, halves away from zero ({@code roundf(-2.5f) == -3}), where
     * {@link Math#round(float)} would round them up. Exact: {@code a - floor(a)} loses nothing in float32.
     */
    static float roundf(float x) {
        float a = Math.abs(x);
        float f = (float) Math.floor(a);
        if (a - f >= 0.5f) {
            f += 1f;
        }
        return Math.copySign(f, x);
    }

    /** The refusal of a block holding NaN or an infinity: ggml would compute undefined quants from it. */
    static UnrepresentableBlockException nonFinite(float[] src, int base, int elements) {
        for (int j = 0; j < elements; j++) {
            if (!Float.isFinite(src[base + j])) {
                return new UnrepresentableBlockException(base + j, "element is " + src[base + j]
                        + "; a quantized block cannot hold NaN or infinity");
            }
        }
        throw new IllegalArgumentException("no non-finite element in the block at " + base);
    }

    /** The refusal of a block whose scale rounds to float16 infinity: it would read back as NaN and infinities. */
    static UnrepresentableBlockException scaleOverflow(float[] src, int base, int elements, float scale) {
        int worst = base;
        for (int j = 0; j < elements; j++) {
            if (Math.abs(src[base + j]) > Math.abs(src[worst])) {
                worst = base + j;
            }
        }
        return new UnrepresentableBlockException(worst, "element is " + src[worst] + ", so its block's scale "
                + scale + " exceeds float16's largest value 65504");
    }
}
