package dev.graft.formats;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Base of every error the formats layer raises: a file that cannot be read or written as its format requires.
 *
 * <p>Unchecked so that streaming pipelines can pass it through lambdas; the message is one line a user can act on
 * and always names the file (and the tensor, where one is involved).
 */
public class FormatException extends RuntimeException {
    private final Path file;

    public FormatException(Path file, String message) {
        this(file, message, null);
    }

    public FormatException(Path file, String message, Throwable cause) {
        super(file == null ? message : file + ": " + message, cause);
        this.file = file;
    }

    /** The file the error is about, when there is one. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }
}
