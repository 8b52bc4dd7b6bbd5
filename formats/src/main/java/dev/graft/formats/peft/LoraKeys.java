package dev.graft.formats.peft;

import java.util.Optional;

/**
 * How PEFT names LoRA tensors on disk: {@code base_model.model.<module>.lora_A.weight} and {@code …lora_B.weight}
 * for linear and Conv1D layers, {@code …lora_embedding_A} / {@code …lora_embedding_B} (no {@code .weight}) for
 * embeddings. The adapter name ({@code default}) is stripped on save.
 */
public final class LoraKeys {
    /** Prefix PEFT's model wrapper adds to every module path. */
    public static final String PREFIX = "base_model.model.";

    private LoraKeys() {
    }

    /** Which factor a key holds. */
    public enum Factor { A, B }

    /** A parsed key: module path (without {@link #PREFIX}), factor, and whether it is an embedding factor. */
    public record Parsed(String module, Factor factor, boolean embedding) {
    }

    public static String loraA(String module) {
        return PREFIX + module + ".lora_A.weight";
    }

    public static String loraB(String module) {
        return PREFIX + module + ".lora_B.weight";
    }

    /** The bias of {@code lora_B} that PEFT's {@code lora_bias=True} adds ({@code [out]}). */
    public static String loraBBias(String module) {
        return PREFIX + module + ".lora_B.bias";
    }

    /**
     * DoRA's magnitude vector of a module ({@code [out]}), saved by PEFT without the {@code .weight} its module has
     * in memory.
     */
    public static String doraMagnitude(String module) {
        return PREFIX + module + ".lora_magnitude_vector";
    }

    /** The key of a tensor of a {@code modules_to_save} module: the model's own name under {@link #PREFIX}. */
    public static String savedModule(String tensorName) {
        return PREFIX + tensorName;
    }

    public static String embeddingA(String module) {
        return PREFIX + module + ".lora_embedding_A";
    }

    public static String embeddingB(String module) {
        return PREFIX + module + ".lora_embedding_B";
    }

    /** Parses a LoRA factor key; empty for any other tensor (biases, modules_to_save, DoRA magnitudes). */
    public static Optional<Parsed> parse(String key) {
        String k = key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
        for (Factor f : Factor.values()) {
            String linear = ".lora_" + f + ".weight";
            if (k.endsWith(linear)) {
                return Optional.of(new Parsed(k.substring(0, k.length() - linear.length()), f, false));
            }
            String emb = ".lora_embedding_" + f;
            if (k.endsWith(emb)) {
                return Optional.of(new Parsed(k.substring(0, k.length() - emb.length()), f, true));
            }
        }
        return Optional.empty();
    }
}
