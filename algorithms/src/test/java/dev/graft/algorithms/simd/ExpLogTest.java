package dev.graft.algorithms.simd;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ExpLog}'s exponential and logarithm are within one ulp of {@link StrictMath}'s (fdlibm) over their domains. */
class ExpLogTest {

    @Test
    void expIsWithinOneUlpOfFdlibmFromMinus708ToZero() {
        SplittableRandom random = new SplittableRandom(1);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            // Half the arguments where a softmax's exponents usually lie, half over the whole domain.
            double t = i % 2 == 0 ? -random.nextDouble() * 30 : -random.nextDouble() * 708;
            worst = Math.max(worst, ulps(ExpLog.exp(t), StrictMath.exp(t)));
        }
        assertThat(worst).isLessThanOrEqualTo(1);
    }

    @Test
    void expAtItsEdges() {
        assertThat(ExpLog.exp(0)).isEqualTo(1.0);
        assertThat(ExpLog.exp(-0.0)).isEqualTo(1.0);
        assertThat(ulps(ExpLog.exp(-1), StrictMath.exp(-1))).isLessThanOrEqualTo(1);
        assertThat(ulps(ExpLog.exp(-708), StrictMath.exp(-708))).isLessThanOrEqualTo(1);
        // Below the domain: raised to its least argument, so still a normal double, never 0 or a subnormal.
        assertThat(ExpLog.exp(-800)).isEqualTo(ExpLog.exp(-708));
        assertThat(ExpLog.exp(Double.NEGATIVE_INFINITY)).isEqualTo(ExpLog.exp(-708));
        assertThat(ExpLog.exp(Double.NaN)).isNaN();
    }

    @Test
    void logIsWithinOneUlpOfFdlibmFromTenToTheMinus300ToTenToThe300() {
        SplittableRandom random = new SplittableRandom(2);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double r = switch (i % 3) {
                case 0 -> Math.pow(10, random.nextDouble(-300, 300));
                case 1 -> 1 + random.nextDouble(-1e-3, 1e-3);  // ratios of nearly equal probabilities
                default -> random.nextDouble(0.5, 2);
            };
            worst = Math.max(worst, ulps(ExpLog.log(r), StrictMath.log(r)));
        }
        assertThat(worst).isLessThanOrEqualTo(1);
    }

    @Test
    void logAtItsEdges() {
        assertThat(ExpLog.log(1)).isEqualTo(0.0);
        assertThat(ExpLog.log(2)).isEqualTo(StrictMath.log(2));
        assertThat(ExpLog.log(0.5)).isEqualTo(-StrictMath.log(2));
        assertThat(ExpLog.log(Math.nextUp(1.0))).isEqualTo(StrictMath.log(Math.nextUp(1.0)));
        assertThat(ExpLog.log(Math.nextDown(1.0))).isEqualTo(StrictMath.log(Math.nextDown(1.0)));
        assertThat(ulps(ExpLog.log(Double.MIN_NORMAL), StrictMath.log(Double.MIN_NORMAL))).isLessThanOrEqualTo(1);
        assertThat(ulps(ExpLog.log(Double.MAX_VALUE), StrictMath.log(Double.MAX_VALUE))).isLessThanOrEqualTo(1);
    }

    private static double ulps(double actual, double expected) {
        return Math.abs(actual - expected) / Math.ulp(expected);
    }
}
