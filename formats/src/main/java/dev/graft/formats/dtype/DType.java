package dev.graft.formats.dtype;

import java.util.Optional;

/**
 * The element types of the safetensors format, in the reference crate's declaration order.
 *
 * <p>The order matters: the reference writer lays tensors out by dtype <em>descending</em> in this order
 * (then by name), so {@link #ordinal()} is part of the on-disk contract and must follow
 * {@code safetensors/src/tensor.rs enum Dtype}. Sub-byte types (F4, F6_*) count bits, not bytes: a tensor's
 * byte length is {@code elements × bits / 8} and must be whole.
 */
public enum DType {
    BOOL(8, Kind.BOOL),
    /** MXFP4 (E2M1), two per byte. Raw access only. */
    F4(4, Kind.RAW),
    /** MXFP6 E2M3. Raw access only. */
    F6_E2M3(6, Kind.RAW),
    /** MXFP6 E3M2. Raw access only. */
    F6_E3M2(6, Kind.RAW),
    U8(8, Kind.INTEGER),
    I8(8, Kind.INTEGER),
    F8_E5M2(8, Kind.FLOAT),
    /** torch {@code float8_e4m3fn}: no infinities, NaN is S.1111.111, max 448. */
    F8_E4M3(8, Kind.FLOAT),
    /** Exponent-only scale type (torch {@code float8_e8m0fnu}). Raw access only. */
    F8_E8M0(8, Kind.RAW),
    /** torch {@code float8_e4m3fnuz}. Raw access only. */
    F8_E4M3FNUZ(8, Kind.RAW),
    /** torch {@code float8_e5m2fnuz}. Raw access only. */
    F8_E5M2FNUZ(8, Kind.RAW),
    I16(16, Kind.INTEGER),
    U16(16, Kind.INTEGER),
    F16(16, Kind.FLOAT),
    BF16(16, Kind.FLOAT),
    I32(32, Kind.INTEGER),
    U32(32, Kind.INTEGER),
    F32(32, Kind.FLOAT),
    /** complex64 (two float32). Raw access only. */
    C64(64, Kind.RAW),
    F64(64, Kind.FLOAT),
    I64(64, Kind.INTEGER),
    U64(64, Kind.INTEGER);

    /** How values of a dtype relate to float32. */
    public enum Kind {
        /** IEEE-style floating point with an exact float32 codec. */
        FLOAT,
        /**
         * Integers: widened to the nearest float32 (unsigned types read as unsigned), narrowed by truncation toward
         * zero as torch's cast does. Where that cast is undefined in C++ the codecs saturate: NaN narrows to 0 and
         * out-of-range values to the type's minimum or maximum.
         */
        INTEGER,
        /** 0 or 1; any non-zero float narrows to true. */
        BOOL,
        /** Readable and writable as bytes only; no float32 codec. */
        RAW
    }

    private final int bits;
    private final Kind kind;

    DType(int bits, Kind kind) {
        this.bits = bits;
        this.kind = kind;
    }

    /** Bits per element (4, 6, 8, 16, 32 or 64). */
    public int bits() {
        return bits;
    }

    public Kind kind() {
        return kind;
    }

    /** True when values convert to and from float32 (every kind but {@link Kind#RAW}). */
    public boolean hasFloatCodec() {
        return kind != Kind.RAW;
    }

    /** True for the floating-point types a merge can compute on and write (F8, F16, BF16, F32, F64). */
    public boolean isFloatingPoint() {
        return kind == Kind.FLOAT;
    }

    /** Bytes per element; only defined for whole-byte types. */
    public int byteSize() {
        if (bits % 8 != 0) {
            throw new UnsupportedOperationException(name() + " packs " + bits + " bits per element; it has no whole byte size");
        }
        return bits / 8;
    }

    /** The safetensors name, as written in a header ({@code "BF16"}). */
    public String safetensorsName() {
        return name();
    }

    /** Looks up a header dtype string; empty for a name the format does not define. */
    public static Optional<DType> fromSafetensorsName(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses a user- or config-facing dtype name: the safetensors names and the torch spellings used in
     * {@code config.json} and recipes ({@code bfloat16}, {@code float16}, {@code half}, {@code float32}, {@code float},
     * {@code float64}, {@code double}, {@code torch.bfloat16} …).
     */
    public static Optional<DType> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim();
        if (n.startsWith("torch.")) {
            n = n.substring("torch.".length());
        }
        Optional<DType> direct = fromSafetensorsName(n.toUpperCase(java.util.Locale.ROOT));
        if (direct.isPresent()) {
            return direct;
        }
        return Optional.ofNullable(switch (n.toLowerCase(java.util.Locale.ROOT)) {
            case "bfloat16", "bf16" -> BF16;
            case "float16", "half", "fp16" -> F16;
            case "float32", "float", "fp32" -> F32;
            case "float64", "double", "fp64" -> F64;
            case "float8_e4m3fn", "fp8_e4m3" -> F8_E4M3;
            case "float8_e5m2", "fp8_e5m2" -> F8_E5M2;
            case "float8_e8m0fnu" -> F8_E8M0;
            case "float8_e4m3fnuz" -> F8_E4M3FNUZ;
            case "float8_e5m2fnuz" -> F8_E5M2FNUZ;
            case "int8" -> I8;
            case "uint8" -> U8;
            case "int16", "short" -> I16;
            case "uint16" -> U16;
            case "int32", "int" -> I32;
            case "uint32" -> U32;
            case "int64", "long" -> I64;
            case "uint64" -> U64;
            case "bool" -> BOOL;
            case "complex64" -> C64;
            default -> null;
        });
    }

    /** The torch spelling used in config.json ({@code "bfloat16"}); falls back to the safetensors name. */
    public String torchName() {
        return switch (this) {
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            case F32 -> "float32";
            case F64 -> "float64";
            case F8_E4M3 -> "float8_e4m3fn";
            case F8_E5M2 -> "float8_e5m2";
            case F8_E8M0 -> "float8_e8m0fnu";
            case F8_E4M3FNUZ -> "float8_e4m3fnuz";
            case F8_E5M2FNUZ -> "float8_e5m2fnuz";
            case I8 -> "int8";
            case U8 -> "uint8";
            case I16 -> "int16";
            case U16 -> "uint16";
            case I32 -> "int32";
            case U32 -> "uint32";
            case I64 -> "int64";
            case U64 -> "uint64";
            case BOOL -> "bool";
            case C64 -> "complex64";
            default -> name();
        };
    }
}
