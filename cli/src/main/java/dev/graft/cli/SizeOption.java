package dev.graft.cli;

import dev.graft.formats.shard.ByteSize;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** A size given on the command line ({@code 5GB}, {@code 500MB}, a byte count), refused as a usage error. */
public final class SizeOption {
    private SizeOption() {
    }

    /**
     * The bytes {@code text} stands for.
     *
     * @param option the option's name, which starts the error message
     * @throws ParameterException when {@code text} is not a size
     */
    public static long parse(CommandLine cmd, String option, String text) {
        try {
            return ByteSize.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cmd, option + ": " + e.getMessage());
        }
    }
}
