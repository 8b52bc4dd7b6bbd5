package dev.graft.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Numbers on the command line are finite: Java reads {@code NaN} and {@code Infinity} as doubles, and a merge
 * weighted by NaN exits 0 with an all-NaN model. Registered for every option of type {@code double} or
 * {@code float} (so picocli names the flag in its error), and used by options parsed by hand.
 */
public final class FiniteNumbers {
    private FiniteNumbers() {
    }

    /** Makes every {@code double}, {@code Double}, {@code float} and {@code Float} option of {@code cl} finite. */
    static void register(CommandLine cl) {
        cl.registerConverter(Double.class, FiniteNumbers::convert);
        cl.registerConverter(Double.TYPE, FiniteNumbers::convert);
        cl.registerConverter(Float.class, text -> (float) convertFloat(text));
        cl.registerConverter(Float.TYPE, text -> (float) convertFloat(text));
    }

    private static double convert(String text) {
        double d;
        try {
            d = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a number");
        }
        if (!Double.isFinite(d)) {
            throw new TypeConversionException("'" + text + "' is not a finite number");
        }
        return d;
    }

    private static double convertFloat(String text) {
        double d = convert(text);
        if (!Float.isFinite((float) d)) {
            throw new TypeConversionException("'" + text + "' is out of float range");
        }
        return d;
    }

    /**
     * A finite number given as part of an option's value ({@code --lines 0.5,0.2}).
     *
     * @param option the flag, for the message
     * @throws ParameterException naming the flag when {@code text} is not a finite number
     */
    public static double parse(CommandLine cmd, String option, String text) {
        try {
            return convert(text);
        } catch (TypeConversionException e) {
            throw new ParameterException(cmd, option + ": " + e.getMessage());
        }
    }
}
