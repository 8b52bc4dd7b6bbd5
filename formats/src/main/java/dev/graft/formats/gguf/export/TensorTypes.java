package dev.graft.formats.gguf.export;

import dev.graft.formats.gguf.GgufTensorType;
import dev.graft.formats.tensor.Shape;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which type each exported tensor is stored as, following {@code convert_hf_to_gguf.py}'s
 * {@code prepare_tensors}: 1-D tensors and norms stay F32; a tensor matching {@code --keep-f16} is F16; every other
 * tensor takes the chosen type, except that a quantized type whose blocks do not divide a row falls back to F16, as
 * the converter falls back on gguf-py's {@code QuantError}.
 *
 * @param type    the chosen type (F32, F16, BF16, Q8_0, Q4_0, Q4_K or Q6_K)
 * @param keepF16 GGUF names to keep as F16 (found anywhere in the name), or null
 */
public record TensorTypes(GgufTensorType type, Pattern keepF16) {
    public TensorTypes {
        if (!type.isConvertible()) {
            throw new IllegalArgumentException(type + " is not a type Graft writes");
        }
    }

    /** The type of a tensor, and why it differs from {@link #type()} when it does. */
    public record Choice(GgufTensorType type, Optional<String> reason) {
    }

    /** The type a tensor is written as. */
    public Choice of(String ggufName, Shape shape) {
        if (shape.rank() <= 1 || TensorNames.isNorm(ggufName)) {
            return new Choice(GgufTensorType.F32, Optional.empty());
        }
        if (keepF16 != null && keepF16.matcher(ggufName).find()) {
            return new Choice(GgufTensorType.F16, Optional.empty());
        }
        long row = shape.dim(shape.rank() - 1);
        if (row % type.blockElements() != 0) {
            return new Choice(GgufTensorType.F16, Optional.of("rows of " + row + " elements are not whole " + type
                    + " blocks of " + type.blockElements() + ": written as F16"));
        }
        return new Choice(type, Optional.empty());
    }

    /** {@code general.file_type}: llama.cpp's {@code LlamaFileType} for the chosen type. */
    public int fileType() {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            case Q4_K -> 14; // MOSTLY_Q4_K_S: Q4_K throughout, where Q4_K_M would mix in Q6_K
            case Q6_K -> 18;
            case BF16 -> 32;
            default -> throw new IllegalStateException(type + " has no file type");
        };
    }
}
