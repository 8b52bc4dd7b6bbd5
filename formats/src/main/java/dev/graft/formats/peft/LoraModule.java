package dev.graft.formats.peft;

import dev.graft.formats.tensor.Tensor;

/**
 * One adapted module: its two low-rank factors and the scaling PEFT applies.
 * The weight delta is {@code scaling · B·A} ({@code [out, in]}), transposed for Conv1D ({@code fan_in_fan_out}) and
 * embedding modules.
 *
 * @param module    module path in the base model ({@code model.layers.0.self_attn.q_proj})
 * @param a         {@code lora_A}, shape {@code [r, in]} ({@code [r, num_embeddings]} for embeddings)
 * @param b         {@code lora_B}, shape {@code [out, r]} ({@code [embedding_dim, r]} for embeddings)
 * @param rank      r
 * @param scaling   {@code alpha / r} (or {@code alpha / sqrt(r)} with rsLoRA)
 * @param embedding true for {@code lora_embedding_A/B} factors
 */
public record LoraModule(String module, Tensor a, Tensor b, int rank, double scaling, boolean embedding) {
}
