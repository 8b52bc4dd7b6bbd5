package dev.graft.formats.gguf;

/** The C library rounding ggml's quantizers use, and the refusals the block codecs share. */
final class RoundingRules {
    private RoundingRules() {
    }

    /**
     * C's {@code roundf} for the quantizers' range (|x| well below 2^23): to the nearest integer, halves away from
     * zero ({@code roundf(-2.5f) == -3}), where {@link Math#round(float)} would round them up. {@code |x| + 0.5}
     * rounds up to the next integer when {@code |x|} is just below a half ({@code 0.49999997f + 0.5f == 1f}), so
     * the sum is truncated and then corrected when it overshot: {@code q − 0.5} is exact, and {@code |x|} below it
     * only then.
     */
    static int roundf(float x) {
        float a = Math.abs(x);
        int q = (int) (a + 0.5f);
        if (a < q - 0.5f) {
            q--;
        }
        return x < 0 ? -q : q;
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
