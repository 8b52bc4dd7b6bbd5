package dev.graft.formats.model;

import dev.graft.formats.FormatException;

import java.nio.file.Path;

/** A model path that is not a readable model: wrong kind of path, bad config.json, inconsistent shard index. */
public final class ModelFormatException extends FormatException {
    public ModelFormatException(Path file, String message) {
        super(file, message);
    }

    public ModelFormatException(Path file, String message, Throwable cause) {
        super(file, message, cause);
    }
}
