package dev.graft.formats.shard;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Byte sizes in decimal units, read and written the way the Hugging Face ecosystem does: {@link #parse} as
 * huggingface_hub's {@code parse_size_to_int}, {@link #format} as the Hub shows file sizes. Every size Graft prints
 * goes through {@link #format}, so that a size printed by one command can be given to another ({@code --shard-size})
 * and means the same number of bytes.
 */
public final class ByteSize {
    /** Powers of 1000, as on the Hub; {@link #parse} reads each of them back (case-insensitively). */
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB"};
    private static final MathContext THREE_DIGITS = new MathContext(3, RoundingMode.HALF_UP);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private ByteSize() {
    }

    /**
     * {@code "5GB"} → 5,000,000,000; {@code "1.5MB"} → 1,500,000; {@code "200"} → 200. Units TB, GB, MB, KB and B
     * are powers of 1000, case-insensitive.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static long parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        String number = s;
        for (String[] u : new String[][] {{"TB", "1000000000000"}, {"GB", "1000000000"}, {"MB", "1000000"},
                {"KB", "1000"}, {"B", "1"}}) {
            if (s.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                number = s.substring(0, s.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            BigDecimal v = new BigDecimal(number).multiply(BigDecimal.valueOf(unit));
            if (v.signum() <= 0) {
                throw new IllegalArgumentException("size must be positive: \"" + text + "\"");
            }
            return v.setScale(0, RoundingMode.DOWN).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size: \"" + text + "\" (use e.g. 5GB, 500MB, 1.5GB or a byte count)");
        }
    }

    /**
     * {@code 290 B}, {@code 8.19 kB}, {@code 232 kB}, {@code 4.98 GB}, {@code 5 GB}: the Hub's style, decimal units
     * and three significant digits (rounded half up, trailing zeros dropped), bytes exact below 1 kB. The largest
     * unit is TB, as for {@link #parse}, which reads the result back to within 0.5%.
     *
     * @throws IllegalArgumentException for a negative size
     */
    public static String format(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size: " + bytes);
        }
        if (bytes < 1000) {
            return bytes + " B";
        }
        int unit = 0;
        BigDecimal shown;
        // Rounding can carry into the next unit (999,999 B is 1000 kB at three digits): then that unit is used.
        do {
            unit++;
            shown = BigDecimal.valueOf(bytes).movePointLeft(3 * unit).round(THREE_DIGITS);
        } while (shown.compareTo(THOUSAND) >= 0 && unit < UNITS.length - 1);
        return shown.stripTrailingZeros().toPlainString() + " " + UNITS[unit];
    }
}
