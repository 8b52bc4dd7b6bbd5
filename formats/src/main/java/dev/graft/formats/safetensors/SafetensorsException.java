package dev.graft.formats.safetensors;

import dev.graft.formats.FormatException;

import java.nio.file.Path;
import java.util.Optional;

/** A malformed safetensors file (or a request a writer must refuse), naming the file, the kind and the tensor. */
public final class SafetensorsException extends FormatException {
    private final SafetensorsError error;
    private final String tensor;

    public SafetensorsException(Path file, SafetensorsError error, String tensor, String detail) {
        this(error, tensor, file, error.summary() + (tensor == null ? "" : " (tensor \"" + tensor + "\")")
                + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    }

    private SafetensorsException(SafetensorsError error, String tensor, Path file, String message) {
        super(file, message);
        this.error = error;
        this.tensor = tensor;
    }

    /**
     * A file that is not safetensors at all (text, a zip …), which fails the {@code error} check first: the
     * message says {@code not a safetensors file} rather than the check's summary, which would describe its bytes
     * as a header ("header too large: header length 2338328219631577204 …"), while {@link #error()} stays the
     * check's kind.
     *
     * @param what what the file seems to be instead ({@code it starts with the text "…"})
     */
    public static SafetensorsException notSafetensors(Path file, SafetensorsError error, String what) {
        return new SafetensorsException(error, null, file, "not a safetensors file: " + what);
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
