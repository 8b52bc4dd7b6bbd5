package dev.graft.formats.lora;

import dev.graft.formats.FormatException;

import java.nio.file.Path;

/**
 * An adapter that does not fit what it is used with: a base model without the adapted tensor or of another shape,
 * or adapters that disagree on a module's shape, layout or kind.
 */
public final class AdapterMismatchException extends FormatException {
    public AdapterMismatchException(Path file, String message) {
        super(file, message);
    }
}
