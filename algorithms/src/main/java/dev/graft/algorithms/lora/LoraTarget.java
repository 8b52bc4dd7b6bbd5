package dev.graft.algorithms.lora;

import dev.graft.formats.lora.FactorLayout;
import dev.graft.formats.peft.LoraKeys;

/**
 * One weight matrix that becomes a pair of LoRA factors.
 *
 * @param module    the module path ({@code model.layers.0.self_attn.q_proj}), the tensor name without {@code .weight}
 * @param tensor    the weight's tensor name
 * @param layout    how the stored matrix relates to {@code B·A}
 * @param embedding an {@code nn.Embedding} (factors named {@code lora_embedding_A/B})
 * @param out       rows of {@code B} ({@code B·A} is {@code [out, in]})
 * @param in        columns of {@code A}
 */
public record LoraTarget(String module, String tensor, FactorLayout layout, boolean embedding, int out, int in) {
    /** The key of {@code lora_A} in an adapter file. */
    public String keyA() {
        return embedding ? LoraKeys.embeddingA(module) : LoraKeys.loraA(module);
    }

    /** The key of {@code lora_B} in an adapter file. */
    public String keyB() {
        return embedding ? LoraKeys.embeddingB(module) : LoraKeys.loraB(module);
    }

    /** The largest rank a factorization of the module can have. */
    public int maxRank() {
        return Math.min(out, in);
    }
}
