package dev.graft.formats.dtype;

import java.util.function.IntUnaryOperator;

/**
 * An independent, deliberately slow model of a small binary floating-point format, used as the oracle for the
 * production conversions. It shares no code or bit tricks with them: values come from the textbook formula and
 * rounding from {@link Math#rint} (round half to even) on a double, which holds every float32 and every
 * intermediate here exactly.
 *
 * @param exponentBits exponent field width
 * @param mantissaBits stored mantissa width
 * @param ieeeSpecials true when the all-ones exponent holds ±infinity and NaNs (IEEE style); false for the "fn"
 *                     style where only the all-ones pattern (per sign) is NaN and overflow gives NaN
 * @param nanCode      the code a NaN input encodes to, given the input's sign bit (0 or 1)
 */
record ReferenceFormat(int exponentBits, int mantissaBits, boolean ieeeSpecials, IntUnaryOperator nanCode) {

    static final ReferenceFormat BF16 = new ReferenceFormat(8, 7, true, sign -> 0x7FC0);
    static final ReferenceFormat F16 = new ReferenceFormat(5, 10, true, sign -> (sign << 15) | 0x7E00);
    static final ReferenceFormat E4M3FN = new ReferenceFormat(4, 3, false, sign -> (sign << 7) | 0x7F);
    static final ReferenceFormat E5M2 = new ReferenceFormat(5, 2, true, sign -> (sign << 7) | 0x7F);

    int bias() {
        return (1 << (exponentBits - 1)) - 1;
    }

    int width() {
        return 1 + exponentBits + mantissaBits;
    }

    int codes() {
        return 1 << width();
    }

    private int maxExponentField() {
        return (1 << exponentBits) - 1;
    }

    private int maxMantissa() {
        return (1 << mantissaBits) - 1;
    }

    boolean isNaN(int code) {
        int e = (code >>> mantissaBits) & maxExponentField();
        int m = code & maxMantissa();
        return ieeeSpecials ? e == maxExponentField() && m != 0 : e == maxExponentField() && m == maxMantissa();
    }

    /** The value of a code by the textbook formula; NaN for NaN codes. */
    double value(int code) {
        double sign = ((code >>> (exponentBits + mantissaBits)) & 1) == 0 ? 1.0 : -1.0;
        int e = (code >>> mantissaBits) & maxExponentField();
        int m = code & maxMantissa();
        if (isNaN(code)) {
            return Double.NaN;
        }
        if (ieeeSpecials && e == maxExponentField()) {
            return sign * Double.POSITIVE_INFINITY;
        }
        if (e == 0) {
            return sign * m * Math.pow(2, 1 - bias() - mantissaBits);
        }
        return sign * (1 + m / Math.pow(2, mantissaBits)) * Math.pow(2, e - bias());
    }

    /** The largest finite value. */
    double maxFinite() {
        int e = ieeeSpecials ? maxExponentField() - 1 : maxExponentField();
        int m = ieeeSpecials ? maxMantissa() : maxMantissa() - 1;
        return value((e << mantissaBits) | m);
    }

    /** The code of a value the format holds exactly (signed zeros included). */
    int exactCode(double v) {
        int sign = (Double.doubleToRawLongBits(v) < 0) ? 1 : 0;
        double a = Math.abs(v);
        int e;
        double m;
        int minExponent = 1 - bias();
        if (a < Math.pow(2, minExponent)) {
            e = 0;
            m = a / Math.pow(2, minExponent - mantissaBits);
        } else {
            int exponent = Math.getExponent(a);
            e = exponent + bias();
            m = (a / Math.pow(2, exponent) - 1) * Math.pow(2, mantissaBits);
        }
        if (m != Math.rint(m) || e >= maxExponentField() + (ieeeSpecials ? 0 : 1)) {
            throw new IllegalArgumentException(v + " is not exactly representable");
        }
        int code = (sign << (exponentBits + mantissaBits)) | (e << mantissaBits) | (int) m;
        if (isNaN(code)) {
            throw new IllegalArgumentException(v + " lands on a NaN code");
        }
        return code;
    }

    /** Rounds to nearest, ties to even; past the largest finite value: ±infinity, or NaN for the "fn" style. */
    int encode(float f) {
        int sign = Float.floatToRawIntBits(f) >>> 31;
        if (Float.isNaN(f)) {
            return nanCode.applyAsInt(sign);
        }
        double x = f;
        double rounded;
        if (Double.isInfinite(x)) {
            rounded = x;
        } else if (x == 0) {
            rounded = x;
        } else {
            int exponent = Math.max(Math.getExponent(x), 1 - bias());
            double ulp = Math.pow(2, exponent - mantissaBits);
            rounded = Math.rint(x / ulp) * ulp;
            if (rounded == 0) {
                rounded = Math.copySign(0.0, x);
            }
        }
        if (Math.abs(rounded) > maxFinite()) {
            int magnitude = ieeeSpecials ? maxExponentField() << mantissaBits : nanCode.applyAsInt(0);
            return (sign << (exponentBits + mantissaBits)) | magnitude;
        }
        return exactCode(rounded);
    }
}
