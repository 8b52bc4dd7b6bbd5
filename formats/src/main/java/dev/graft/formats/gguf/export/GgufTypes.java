package dev.graft.formats.gguf.export;

import dev.graft.formats.gguf.GgufTensorType;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tensor types asked of a GGUF output, as {@code graft export gguf}'s {@code --type} and {@code --keep-f16}
 * give them and every other command's {@code -o x.gguf} takes them too; {@link TensorTypes} turns them into each
 * tensor's type (norms and 1-D tensors stay F32 whatever is asked).
 *
 * @param type    the type of the 2-D tensors; empty: the model's own float type (F32, F16 or BF16; F16 for others)
 * @param keepF16 GGUF tensor names (a match anywhere) kept as F16 whatever {@code type} says; empty: none
 */
public record GgufTypes(Optional<GgufTensorType> type, Optional<Pattern> keepF16) {
    /** Nothing asked: the model's own float type for every 2-D tensor. */
    public static final GgufTypes DEFAULT = new GgufTypes(Optional.empty(), Optional.empty());

    public GgufTypes {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(keepF16, "keepF16");
        type.ifPresent(t -> {
            if (!t.isConvertible()) {
                throw new IllegalArgumentException(t + " is not a type Graft writes");
            }
        });
    }

    /** {@code type} and {@code keepF16}, each null for nothing asked. */
    public static GgufTypes of(GgufTensorType type, Pattern keepF16) {
        return new GgufTypes(Optional.ofNullable(type), Optional.ofNullable(keepF16));
    }

    /** Whether anything is asked beyond the defaults. */
    public boolean isDefault() {
        return type.isEmpty() && keepF16.isEmpty();
    }
}
