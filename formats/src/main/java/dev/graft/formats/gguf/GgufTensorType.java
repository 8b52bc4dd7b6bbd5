package dev.graft.formats.gguf;

import java.util.Locale;
import java.util.Optional;

/**
 * The tensor types of ggml ({@code enum ggml_type} in {@code ggml.h}, {@code GGMLQuantizationType} in gguf-py):
 * the id a GGUF tensor info stores, and the block layout ({@code GGML_QUANT_SIZES}): a row of {@code ne[0]}
 * elements is stored as {@code ne[0] / blockElements} blocks of {@code blockBytes} each.
 *
 * <p>Every type is known so that a file using any of them can be opened, listed and sized; Graft converts to and
 * from float32 only those with {@link #isConvertible()} (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K).
 */
public enum GgufTensorType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    /** 32 elements: a float16 scale d, then 16 bytes of 4-bit quants q (low nibbles first half); x = (q − 8)·d. */
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    /** 32 elements: a float16 scale d, then 32 signed bytes q; x = q·d. */
    Q8_0(8, 32, 34),
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    /**
     * 256 elements in 8 sub-blocks of 32: float16 d and dmin, 12 bytes of 6-bit sub-block scales and mins, 128 bytes
     * of 4-bit quants; x = d·scale·q − dmin·min.
     */
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    /**
     * 256 elements in 16 sub-blocks of 16: 128 bytes of low nibbles, 64 of high bit pairs, 16 signed sub-block
     * scales, a float16 scale d; x = d·scale·(q − 32).
     */
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66),
    IQ2_XS(17, 256, 74),
    IQ3_XXS(18, 256, 98),
    IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18),
    IQ3_S(21, 256, 110),
    IQ2_S(22, 256, 82),
    IQ4_XS(23, 256, 136),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    IQ1_M(29, 256, 56),
    BF16(30, 1, 2),
    TQ1_0(34, 256, 54),
    TQ2_0(35, 256, 66),
    MXFP4(39, 32, 17);

    private final int id;
    private final int blockElements;
    private final int blockBytes;

    GgufTensorType(int id, int blockElements, int blockBytes) {
        this.id = id;
        this.blockElements = blockElements;
        this.blockBytes = blockBytes;
    }

    /** The id a tensor info stores. */
    public int id() {
        return id;
    }

    /** Elements per block (1 for the plain types). */
    public int blockElements() {
        return blockElements;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    /** True for the block-quantized types. */
    public boolean isQuantized() {
        return blockElements > 1;
    }

    /** True for the types Graft reads as float32 and writes from float32. */
    public boolean isConvertible() {
        return this == F32 || this == F16 || this == BF16 || this == Q8_0 || this == Q4_0 || this == Q4_K
                || this == Q6_K;
    }

    /**
     * Bytes of {@code elements} elements, a whole number of blocks.
     *
     * @throws ArithmeticException when it overflows
     */
    public long byteSize(long elements) {
        return Math.multiplyExact(elements / blockElements, (long) blockBytes);
    }

    /** The type a stored id names; empty for an id ggml does not define. */
    public static Optional<GgufTensorType> of(int id) {
        for (GgufTensorType t : values()) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The type of a user's spelling ({@code q8_0}, {@code Q8_0}, {@code bf16}); empty for anything else. */
    public static Optional<GgufTensorType> parse(String name) {
        for (GgufTensorType t : values()) {
            if (t.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
