package dev.graft.evaluation.llama;

import dev.graft.formats.FormatException;

import java.nio.file.Path;

/** A model folder that the evaluation's Llama forward pass cannot run: not Llama-shaped, too large, inconsistent. */
public final class LlamaFolderException extends FormatException {
    public LlamaFolderException(Path folder, String message) {
        super(folder, message);
    }
}
