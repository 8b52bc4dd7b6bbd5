package dev.graft.formats.delta;

import dev.graft.formats.FormatException;

import java.nio.file.Path;

/**
 * A compressed delta that cannot be read or applied: not a Graft delta, a newer format version, a damaged or
 * truncated file, or a base model other than the one it was made from. The message names the file and, where one
 * is involved, the tensor.
 */
public final class DeltaFormatException extends FormatException {
    public DeltaFormatException(Path file, String message) {
        super(file, message);
    }

    public DeltaFormatException(Path file, String message, Throwable cause) {
        super(file, message, cause);
    }
}
