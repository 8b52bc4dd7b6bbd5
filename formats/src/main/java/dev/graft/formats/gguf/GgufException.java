package dev.graft.formats.gguf;

import dev.graft.formats.json.JsonStrings;

import dev.graft.formats.FormatException;

import java.nio.file.Path;
import java.util.Optional;

/** A malformed GGUF file, or a request a GGUF writer must refuse, naming the file, the kind and the tensor. */
public final class GgufException extends FormatException {
    private final GgufError error;
    private final String tensor;

    /**
     * @param tensor the tensor involved, or null
     * @param detail what exactly is wrong, or null
     */
    public GgufException(Path file, GgufError error, String tensor, String detail) {
        super(file, error.summary() + (tensor == null ? "" : " (tensor " + JsonStrings.quote(tensor) + ")")
                + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.error = error;
        this.tensor = tensor;
    }

    public GgufException(Path file, GgufError error, String detail) {
        this(file, error, null, detail);
    }

    /** What is wrong. */
    public GgufError error() {
        return error;
    }

    /** The tensor involved, when the failure is about one. */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }
}
