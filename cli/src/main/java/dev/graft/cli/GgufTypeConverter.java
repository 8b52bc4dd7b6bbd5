package dev.graft.cli;

import dev.graft.formats.gguf.GgufTensorType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses a GGUF tensor type option ({@code --type}), naming the types Graft writes. */
public final class GgufTypeConverter implements ITypeConverter<GgufTensorType> {
    @Override
    public GgufTensorType convert(String value) {
        return GgufTensorType.parse(value).filter(GgufTensorType::isConvertible).orElseThrow(() ->
                new TypeConversionException("'" + value + "' is not a type Graft writes: f32, f16, bf16, q8_0, q4_0, q4_k, q6_k"));
    }
}
