package dev.graft.formats.gguf;

import java.lang.foreign.MemorySegment;

/**
 * Converts between float32 and one block-quantized ggml type, block by block, with the rounding of ggml's reference
 * quantizer ({@code quantize_row_*_ref} in {@code ggml-quants.c}, the one llama.cpp uses for deterministic model
 * files) and the arithmetic of its {@code dequantize_row_*}.
 */
interface BlockCodec {
    /** The type this codec converts. */
    GgufTensorType type();

    /**
     * Quantizes {@code blocks} blocks of {@code src[from…]} into {@code dst[dstOffset…]}.
     *
     * @throws UnrepresentableBlockException for a NaN or infinite element, or a block whose scale float16 cannot
     *                                       hold (ggml would store an infinite scale and read the block back as NaN)
     */
    void quantize(float[] src, int from, int blocks, byte[] dst, int dstOffset);

    /** Dequantizes {@code blocks} blocks starting at byte {@code srcOffset} of {@code src} into {@code dst[to…]}. */
    void dequantize(MemorySegment src, long srcOffset, int blocks, float[] dst, int to);

    /** The codec of a quantized type Graft converts. */
    static BlockCodec of(GgufTensorType type) {
        return switch (type) {
            case Q8_0 -> BlockQ8_0.INSTANCE;
            case Q4_0 -> BlockQ4_0.INSTANCE;
            case Q4_K -> BlockQ4_K.INSTANCE;
            case Q6_K -> BlockQ6_K.INSTANCE;
            default -> throw new IllegalArgumentException(type + " has no block codec");
        };
    }
}
