package dev.graft.formats.peft;

import dev.graft.formats.FormatException;

import java.nio.file.Path;

/** A PEFT adapter folder or config that cannot be used: wrong peft_type, unpaired or mis-shaped LoRA tensors. */
public final class AdapterFormatException extends FormatException {
    public AdapterFormatException(Path file, String message) {
        super(file, message);
    }
}
