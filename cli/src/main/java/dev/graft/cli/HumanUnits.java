package dev.graft.cli;

import java.util.Locale;

/** Byte sizes, counts and measurements written the way a person reads them. */
public final class HumanUnits {
    private static final String[] BINARY = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    private static final String[] DECIMAL = {"K", "M", "B", "T"};

    private HumanUnits() {
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 13.5 GiB}: binary units, one decimal. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int unit = -1;
        while (v >= 1024 && unit < BINARY.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, BINARY[unit]);
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
