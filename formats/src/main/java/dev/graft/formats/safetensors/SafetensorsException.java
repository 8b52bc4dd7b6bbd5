package dev.graft.formats.safetensors;

import dev.graft.formats.FormatException;

import java.nio.file.Path;
import java.util.Optional;

/** A malformed safetensors file (or a request a writer must refuse), naming the file, the kind and the tensor. */
public final class SafetensorsException extends FormatException {
    private final SafetensorsError error;
    private final String tensor;

    public SafetensorsException(Path file, SafetensorsError error, String tensor, String detail) {
        super(file, error.summary() + (tensor == null ? "" : " (tensor \"" + tensor + "\")")
                + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.error = error;
        this.tensor = tensor;
    }

    public SafetensorsException(Path file, SafetensorsError error, String detail) {
        this(file, error, null, detail);
    }

    /** What is wrong. */
    public SafetensorsError error() {
        return error;
    }

    /** The tensor involved, when the failure is about one. */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }
}
