package dev.graft.formats.lora;

/**
 * How a stored weight relates to its LoRA factors {@code B [out, r]} and {@code A [r, in]}.
 */
public enum FactorLayout {
    /** {@code nn.Linear}: the weight is stored {@code [out, in]} and its delta is {@code B·A}. */
    LINEAR,
    /**
     * GPT-2's {@code Conv1D} ({@code fan_in_fan_out}, stored {@code [in, out]}) and {@code nn.Embedding}
     * ({@code [num_embeddings, dim]}, factors {@code lora_embedding_A [r, num]}, {@code lora_embedding_B [dim, r]}):
     * the stored delta is {@code (B·A)ᵀ}.
     */
    TRANSPOSED
}
