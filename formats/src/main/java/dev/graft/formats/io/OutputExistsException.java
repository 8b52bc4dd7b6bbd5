package dev.graft.formats.io;

import dev.graft.formats.FormatException;

import java.nio.file.Path;

/** Raised instead of silently replacing an existing output file or folder. */
public final class OutputExistsException extends FormatException {
    public OutputExistsException(Path target) {
        super(target, "already exists; refusing to replace it");
    }
}
