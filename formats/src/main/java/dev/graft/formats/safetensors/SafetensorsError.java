package dev.graft.formats.safetensors;

/**
 * Every way a safetensors file can be malformed, one constant per failure kind of the reference crate
 * ({@code safetensors::SafeTensorError}), plus the checks the crate leaves to callers (duplicate keys, unknown
 * dtypes, reserved names).
 */
public enum SafetensorsError {
    /** Fewer than the 8 bytes of the header-length prefix. */
    HEADER_TOO_SMALL("header too small"),
    /** Header length above {@link SafetensorsHeader#MAX_HEADER_SIZE} (100,000,000 bytes). */
    HEADER_TOO_LARGE("header too large"),
    /** Header length prefix points past the end of the file. */
    INVALID_HEADER_LENGTH("invalid header length"),
    /** Header bytes are not valid UTF-8. */
    INVALID_UTF8("invalid UTF-8 in header"),
    /** Header is not the JSON object the format defines. */
    INVALID_JSON("invalid JSON in header"),
    /** A dtype string the format does not define. */
    UNKNOWN_DTYPE("unknown dtype"),
    /** The same tensor name, metadata key or entry field appears twice. */
    DUPLICATE_KEY("duplicate key"),
    /** Data offsets that do not start at 0, leave a hole, overlap, or run past the data buffer. */
    INVALID_OFFSET("invalid offset"),
    /** Shape product or byte size overflows 64 bits. */
    VALIDATION_OVERFLOW("overflow computing buffer size from shape and/or element type"),
    /** A sub-byte dtype whose elements do not fill whole bytes. */
    MISALIGNED_SLICE("elements do not fill whole bytes"),
    /** Byte range length differs from shape × dtype size. */
    TENSOR_INVALID_INFO("invalid shape, data type, or offset for tensor"),
    /** Bytes after the last tensor, not covered by any tensor. */
    METADATA_INCOMPLETE_BUFFER("incomplete metadata, file not fully covered"),
    /** A tensor asked for is not in the file. */
    TENSOR_NOT_FOUND("tensor not found"),
    /** A name a writer must refuse ({@code __metadata__}, which would make the file unreadable). */
    INVALID_TENSOR_NAME("invalid tensor name");

    private final String summary;

    SafetensorsError(String summary) {
        this.summary = summary;
    }

    /** The reference crate's wording for the failure. */
    public String summary() {
        return summary;
    }
}
