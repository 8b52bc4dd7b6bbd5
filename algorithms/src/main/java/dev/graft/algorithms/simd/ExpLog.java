package dev.graft.algorithms.simd;

import java.math.BigDecimal;

/**
 * {@code eᵗ} and {@code ln r} in float64 as fixed sequences of additions, multiplications, fused multiply-adds and
 * bit operations, so that a vector loop ({@link DivergenceLanes}) and a scalar loop that call for the same
 * operations give the same bits, with or without the Vector API. {@link Math#exp} and {@link Math#log} are
 * intrinsics whose results may differ by an ulp from platform to platform, and have no vector form that gives
 * their bits.
 *
 * <p>Both are accurate to about one ulp (the tests compare them with {@link StrictMath} over their domains):
 * <ul>
 *   <li>{@code exp}: {@code t = k·ln 2 + r} with {@code k = rint(t/ln 2)} and {@code |r| ≤ ln 2 / 2} (ln 2 in two
 *   parts, so that {@code r} is exact), {@code eʳ} by its Taylor polynomial to degree 13 (the first term left out
 *   is below 6·10⁻¹⁸ relative), times {@code 2ᵏ} built in the exponent bits.</li>
 *   <li>{@code log}: {@code r = 2ᵏ·m} with {@code m} in {@code [√½, √2)}, {@code f = m − 1} (exact),
 *   {@code s = f/(2 + f)}, and {@code ln(1 + f) = 2·atanh s = f − (f²/2 − s·(f²/2 + R))} with
 *   {@code R = Σ_{i=1..9} 2s²ⁱ/(2i + 1)} (the first term left out is below 3·10⁻¹⁷ relative), plus
 *   {@code k·ln 2}.</li>
 * </ul>
 */
public final class ExpLog {
    /**
     * The least argument of {@link #exp}; smaller ones are raised to it. {@code e^-708} is a normal double
     * ({@code 2ᵏ} stays buildable in the exponent bits), and below it {@code eᵗ} is under 4·10⁻³⁰⁸: lost in any
     * sum that also holds a softmax's largest term, {@code e⁰ = 1}.
     */
    public static final double EXP_MIN = -708;
    /** {@code 1/ln 2}. */
    static final double INV_LN2 = 1 / Math.log(2);
    /** {@code 1.5·2⁵²}: adding it rounds a double of magnitude below 2⁵¹ to an integer, held in the low bits. */
    static final double SHIFTER = 0x1.8p52;
    static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    /** ln 2 to 32 significant bits: {@code k·LN2_HI} is exact for every {@code |k| < 2²¹}. */
    static final double LN2_HI = Double.longBitsToDouble(Double.doubleToRawLongBits(Math.log(2)) & -(1L << 21));
    /** ln 2 − {@link #LN2_HI}, from ln 2 to 60 digits. */
    static final double LN2_LO = new BigDecimal("0.693147180559945309417232121458176568075500134360255254120680")
            .subtract(new BigDecimal(LN2_HI)).doubleValue();
    /** {@code 1/n!} for n = 0 … 13, the Taylor coefficients of {@code eʳ}. */
    static final double[] EXP_COEFFICIENTS = expCoefficients();
    /** The bits of √½: subtracted from a double's bits, it leaves the exponent that puts the mantissa in [√½, √2). */
    static final long SQRT_HALF_BITS = Double.doubleToRawLongBits(Math.sqrt(0.5));
    /** {@code 2/(2i + 1)} for i = 1 … 9, the series of {@code R} in powers of {@code s²}. */
    static final double[] LOG_COEFFICIENTS = logCoefficients();

    private ExpLog() {
    }

    private static double[] expCoefficients() {
        double[] c = new double[14];
        BigDecimal factorial = BigDecimal.ONE;
        for (int n = 0; n < c.length; n++) {
            factorial = n == 0 ? BigDecimal.ONE : factorial.multiply(BigDecimal.valueOf(n));
            c[n] = 1 / factorial.doubleValue();
        }
        return c;
    }

    private static double[] logCoefficients() {
        double[] c = new double[9];
        for (int i = 1; i <= c.length; i++) {
            c[i - 1] = 2.0 / (2 * i + 1);
        }
        return c;
    }

    /**
     * {@code eᵗ} for {@code t ≤ 0}, NaN for NaN; arguments below {@link #EXP_MIN} give {@code e^EXP_MIN}. Not for
     * positive {@code t} (a softmax's exponents are at most 0).
     */
    public static double exp(double t) {
        t = Math.max(t, EXP_MIN);
        double shifted = t * INV_LN2 + SHIFTER;
        double k = shifted - SHIFTER;
        double r = Math.fma(k, -LN2_HI, t);
        r = Math.fma(k, -LN2_LO, r);
        double[] c = EXP_COEFFICIENTS;
        double p = c[13];
        for (int n = 12; n >= 0; n--) {
            p = Math.fma(p, r, c[n]);
        }
        long twoToK = (Double.doubleToRawLongBits(shifted) - SHIFTER_BITS + 1023) << 52;
        return p * Double.longBitsToDouble(twoToK);
    }

    /**
     * {@code ln r} for positive normal {@code r}. Not for 0, subnormals, infinities, negatives or NaN (the result is
     * then unspecified: callers multiply it by a factor that carries their NaN on).
     */
    public static double log(double r) {
        long bits = Double.doubleToRawLongBits(r);
        long k = (bits - SQRT_HALF_BITS) >> 52;
        double m = Double.longBitsToDouble(bits - (k << 52));
        double dk = Double.longBitsToDouble(SHIFTER_BITS + k) - SHIFTER;
        double f = m - 1;
        double s = f / (2 + f);
        double z = s * s;
        double[] c = LOG_COEFFICIENTS;
        double series = c[8];
        for (int i = 7; i >= 0; i--) {
            series = Math.fma(series, z, c[i]);
        }
        double big = series * z;
        double halfSquare = 0.5 * f * f;
        double low = Math.fma(s, halfSquare + big, dk * LN2_LO);
        return dk * LN2_HI + (f - (halfSquare - low));
    }
}
