package dev.graft.formats.shard;

import java.math.BigDecimal;
import java.util.Locale;

/** Parses sizes the way huggingface_hub's {@code parse_size_to_int} does: decimal units, fractional values allowed. */
public final class ByteSize {
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
            return v.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size: \"" + text + "\" (use e.g. 5GB, 500MB, 1.5GB or a byte count)");
        }
    }
}
