package dev.graft.cli;

import java.util.Locale;

/**
 * Counts and measurements written the way a person reads them. Byte sizes are not here: every module prints them
 * with {@link dev.graft.formats.shard.ByteSize#format}, so that all of Graft shows them alike.
 */
public final class HumanUnits {
    private static final String[] DECIMAL = {"K", "M", "B", "T"};

    private HumanUnits() {
    }

    /** {@code 7,241,732,096}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 115.5K}, {@code 7.2B}: the way parameter counts are quoted for models. */
    public static String shortCount(long n) {
        if (n < 1000) {
            return Long.toString(n);
        }
        double v = n;
        int unit = -1;
        while (v >= 1000 && unit < DECIMAL.length - 1) {
            v /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f%s", v, DECIMAL[unit]);
    }

    /** {@code 5.412e-02}: four significant digits whatever the magnitude; {@code inf}, {@code nan}. */
    public static String scientific(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.3e", x);
    }
}
