package dev.graft.formats.gguf;

/**
 * Every way a GGUF file can be malformed or refused, one constant per failure kind, so that callers and tests can
 * branch on the kind while the message says the detail.
 */
public enum GgufError {
    /** The file does not start with the magic {@code GGUF}. */
    NOT_GGUF("not a GGUF file"),
    /** A version other than 2 or 3 (version 1 used 32-bit counts and is long gone). */
    UNSUPPORTED_VERSION("unsupported GGUF version"),
    /** The header ends before a field it declares (a truncated file, or a count or length larger than the file). */
    TRUNCATED("truncated header"),
    /** A metadata value type the format does not define, or an array of arrays. */
    UNKNOWN_VALUE_TYPE("unknown metadata value type"),
    /** A metadata key given twice. */
    DUPLICATE_KEY("duplicate metadata key"),
    /** A tensor name given twice. */
    DUPLICATE_TENSOR("duplicate tensor name"),
    /** A tensor type id ggml does not define. */
    UNKNOWN_TENSOR_TYPE("unknown tensor type"),
    /** A string that is not valid UTF-8. */
    INVALID_UTF8("invalid UTF-8"),
    /** A metadata value of the wrong type for its well-known key ({@code general.alignment} not a u32 …). */
    INVALID_METADATA("invalid metadata"),
    /** Dimensions that are zero in number, more than ggml's four, negative, overflowing, or not whole blocks. */
    INVALID_SHAPE("invalid tensor shape"),
    /** Tensor data that is misaligned, overlapping another tensor's, or past the end of the file. */
    INVALID_OFFSET("invalid tensor offset"),
    /** A tensor asked for is not in the file. */
    TENSOR_NOT_FOUND("tensor not found"),
    /** A tensor type Graft knows but cannot convert to float32 (the K-quants, the i-quants). */
    UNSUPPORTED_TENSOR_TYPE("unsupported tensor type"),
    /** A model whose architecture has no GGUF mapping in Graft. */
    UNSUPPORTED_ARCHITECTURE("unsupported architecture"),
    /** A model tensor the architecture's GGUF mapping does not name, or a config field the export needs. */
    UNMAPPED("cannot map to GGUF"),
    /** A GGUF tensor or architecture read under Hugging Face names that the reverse mapping does not cover. */
    UNMAPPED_TO_HF("cannot map to Hugging Face names"),
    /** A value a writer must refuse (NaN or infinity in a quantized block, a scale beyond float16). */
    UNREPRESENTABLE("value cannot be stored");

    private final String summary;

    GgufError(String summary) {
        this.summary = summary;
    }

    /** A few words naming the failure, the start of every message of this kind. */
    public String summary() {
        return summary;
    }
}
