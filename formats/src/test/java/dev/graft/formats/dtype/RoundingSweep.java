package dev.graft.formats.dtype;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Drives a float32 → narrow-format conversion through the inputs most likely to expose rounding bugs and compares
 * it with {@link ReferenceFormat#encode}: every midpoint between neighbouring codes and the floats either side of
 * it, and a stratified random sample of all 2<sup>32</sup> float patterns.
 */
final class RoundingSweep {

    /** Reported mismatches stop here; one is enough to fail, a few help to diagnose. */
    private static final int MAX_REPORTED = 10;

    private final ReferenceFormat format;
    /** A float32 → code conversion under test; unboxed so that millions of samples stay cheap. */
    @FunctionalInterface
    interface Conversion {
        int apply(float f);
    }

    private final Conversion conversion;
    private final List<String> mismatches = new ArrayList<>();
    private long checked;

    RoundingSweep(ReferenceFormat format, Conversion conversion) {
        this.format = format;
        this.conversion = conversion;
    }

    /** Midpoints between each finite code and the next one up (both signs), and their float neighbours. */
    RoundingSweep midpoints() {
        int signBit = 1 << (format.width() - 1);
        for (int code = 0; code < signBit; code++) {
            double low = format.value(code);
            if (Double.isNaN(low) || Double.isInfinite(low)) {
                continue;
            }
            double next = format.value(code + 1);
            double high = (low == format.maxFinite() || !Double.isFinite(next))
                    // The value one ulp past the largest finite one, as if the exponent range went on.
                    ? low + (low - format.value(code - 1))
                    : next;
            float mid = (float) ((low + high) / 2);
            if (mid != (low + high) / 2) {
                throw new AssertionError("midpoint not a float: " + low + ", " + high);
            }
            for (float f : new float[] {mid, Math.nextDown(mid), Math.nextUp(mid), (float) low, (float) high}) {
                check(f);
                check(-f);
            }
        }
        return this;
    }

    /** {@code samples} float patterns, one drawn at random from each of as many equal slices of the 2^32. */
    RoundingSweep stratified(int samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long slice = (1L << 32) / samples;
        for (long i = 0; i < samples; i++) {
            check(Float.intBitsToFloat((int) (i * slice + random.nextLong(slice))));
        }
        return this;
    }

    /** Every float pattern with the given high 16 bits pattern predicate, i.e. 65536 floats per accepted prefix. */
    RoundingSweep allWithHighBits(IntPredicate acceptPrefix) {
        for (int prefix = 0; prefix < 0x10000; prefix++) {
            if (acceptPrefix.test(prefix)) {
                for (int low = 0; low < 0x10000; low++) {
                    check(Float.intBitsToFloat((prefix << 16) | low));
                }
            }
        }
        return this;
    }

    private void check(float f) {
        checked++;
        int expected = format.encode(f);
        int actual = conversion.apply(f) & (format.codes() - 1);
        if (expected != actual && mismatches.size() < MAX_REPORTED) {
            mismatches.add(String.format("%s (0x%08X): expected 0x%X, got 0x%X",
                    f, Float.floatToRawIntBits(f), expected, actual));
        }
    }

    List<String> mismatches() {
        return mismatches;
    }

    long checked() {
        return checked;
    }
}
