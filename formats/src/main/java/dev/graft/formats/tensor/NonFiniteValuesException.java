package dev.graft.formats.tensor;

import dev.graft.formats.FormatException;

import java.nio.file.Path;

/**
 * A tensor holds NaN or infinite values where the command needs finite ones: in an input (refused unless the
 * user allows it) or in an output computed from finite inputs (never published).
 */
public final class NonFiniteValuesException extends FormatException {
    private final String tensor;
    private final long count;

    /**
     * @param file    the model the tensor is in (an input) or goes to (an output)
     * @param message the rest of the one-line message
     */
    public NonFiniteValuesException(Path file, String tensor, long count, String message) {
        super(file, message);
        this.tensor = tensor;
        this.count = count;
    }

    /** An input tensor with {@code count} non-finite values, refused; {@code --allow-nonfinite} would go on. */
    public static NonFiniteValuesException input(Path model, String tensor, long count) {
        return input(model, tensor, count, "--allow-nonfinite goes on anyway");
    }

    /**
     * An input tensor with {@code count} non-finite values, refused.
     *
     * @param remedy what the user can do, in parentheses at the end
     */
    public static NonFiniteValuesException input(Path model, String tensor, long count, String remedy) {
        return new NonFiniteValuesException(model, tensor, count, "tensor \"" + tensor + "\" holds " + count
                + " non-finite value" + (count == 1 ? "" : "s") + " (NaN or ±Inf), which would spread to everything "
                + "computed from it; nothing was written (" + remedy + ")");
    }

    /** The tensor's name. */
    public String tensor() {
        return tensor;
    }

    /** How many of its values are NaN or infinite. */
    public long count() {
        return count;
    }
}
