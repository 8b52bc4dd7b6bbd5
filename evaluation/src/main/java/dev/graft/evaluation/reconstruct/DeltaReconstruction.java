package dev.graft.evaluation.reconstruct;

import java.nio.file.Path;

/**
 * A lossy stand-in for a fine-tune, built from the base and the fine-tune: a LoRA adapter extracted at some rank or
 * energy, or a compressed delta at some bits per parameter. The evaluation measures how much of the fine-tune's
 * accuracy the stand-in keeps, against what it costs to store.
 *
 * <p>Implementations wrap Graft's public extraction and compression APIs; they read and write safetensors files
 * as Hugging Face folders (float32), as users' checkpoints are.
 */
public interface DeltaReconstruction {
    /** The row label, e.g. {@code "phlora rank 4"} or {@code "bitdelta"}. */
    String name();

    /** The family the row belongs to in plots ({@code "phlora"}, {@code "bitdelta"} …). */
    String family();

    /**
     * Builds the stand-in.
     *
     * @param base    the base model's folder
     * @param tuned   the fine-tuned model's folder
     * @param workDir a folder the implementation may write into
     * @return the reconstructed fine-tune's file and its storage cost
     */
    Reconstruction apply(Path base, Path tuned, Path workDir);

    /**
     * A reconstructed fine-tune.
     *
     * @param weights           a model folder with every tensor (base + reconstructed delta)
     * @param bitsPerParameter  bits stored per parameter of the delta (adapter factors or compressed delta,
     *                          including scales), over the whole model
     */
    record Reconstruction(Path weights, double bitsPerParameter) {
    }
}
