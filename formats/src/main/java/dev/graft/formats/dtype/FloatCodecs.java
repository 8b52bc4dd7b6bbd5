package dev.graft.formats.dtype;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Picks the {@link FloatCodec} for a dtype. Codecs are stateless, so each dtype has one shared instance, and each
 * is its own final class so that a call site's element loop never goes through a per-element virtual call.
 */
final class FloatCodecs {

    private static final Map<DType, FloatCodec> CODECS = new EnumMap<>(DType.class);

    static {
        for (DType dtype : DType.values()) {
            FloatCodec codec = create(dtype);
            if (codec != null) {
                CODECS.put(dtype, codec);
            }
        }
    }

    private FloatCodecs() {
    }

    /**
     * The codec for {@code dtype}.
     *
     * @throws UnsupportedOperationException when the dtype is raw-only ({@link DType.Kind#RAW})
     */
    static FloatCodec of(DType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        FloatCodec codec = CODECS.get(dtype);
        if (codec == null) {
            throw new UnsupportedOperationException(
                    dtype + " has no float32 codec; it is readable and writable as raw bytes only");
        }
        return codec;
    }

    private static FloatCodec create(DType dtype) {
        return switch (dtype.kind()) {
            case RAW -> null;
            case BOOL -> BoolCodec.INSTANCE;
            case INTEGER -> new IntegerCodec(dtype);
            case FLOAT -> switch (dtype) {
                case BF16 -> Bf16Codec.INSTANCE;
                case F16 -> Fp16Codec.INSTANCE;
                case F32 -> F32Codec.INSTANCE;
                case F64 -> F64Codec.INSTANCE;
                case F8_E4M3 -> Fp8E4M3Codec.INSTANCE;
                case F8_E5M2 -> Fp8E5M2Codec.INSTANCE;
                default -> throw new AssertionError("FLOAT dtype without a codec: " + dtype);
            };
        };
    }
}
