package dev.graft.formats.safetensors;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference crate's golden serialisations (research notes formats.md §1.5), byte for byte. */
class SafetensorsGoldenTest {
    @TempDir
    Path dir;

    private byte[] write(List<TensorSpec> specs, Map<String, String> metadata, Map<String, byte[]> data) throws IOException {
        Path out = dir.resolve("g.safetensors");
        Files.deleteIfExists(out);
        try (SafetensorsWriter w = SafetensorsWriter.create(out, specs, metadata, false)) {
            for (TensorSpec s : specs) {
                try (SafetensorsWriter.TensorSink sink = w.sink(s.name())) {
                    sink.writeBytes(MemorySegment.ofArray(data.get(s.name())));
                }
            }
            w.commit();
        }
        return Files.readAllBytes(out);
    }

    @Test
    void emptyFileWithoutMetadata() throws IOException {
        byte[] b = write(List.of(), null, Map.of());
        assertThat(RawFiles.hex(b)).isEqualTo("0800000000000000" + "7b7d" + "202020202020");
        assertThat(b).hasSize(16);
    }

    @Test
    void emptyFileWithMetadata() throws IOException {
        byte[] b = write(List.of(), Map.of("framework", "pt"), Map.of());
        String header = "{\"__metadata__\":{\"framework\":\"pt\"}}     ";
        assertThat(b).isEqualTo(RawFiles.file(header, new byte[0]));
        assertThat(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(40);
    }

    private static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    @Test
    void attnTensorNeedsNoPadding() throws IOException {
        byte[] data = f32(0, 1, 2, 3, 4, 5);
        byte[] b = write(List.of(new TensorSpec("attn.0", DType.F32, Shape.of(1, 2, 3))), null, Map.of("attn.0", data));
        String header = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
        assertThat(header).hasSize(64);
        assertThat(b).isEqualTo(RawFiles.file(header, data));
    }

    @Test
    void headerIsPaddedWithSpacesToEightBytes() throws IOException {
        byte[] data = f32(0, 1, 2, 3, 4, 5);
        byte[] b = write(List.of(new TensorSpec("attn0", DType.F32, Shape.of(1, 1, 2, 3))), null, Map.of("attn0", data));
        String json = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";
        assertThat(json).hasSize(65);
        assertThat(b).isEqualTo(RawFiles.file(json + "       ", data));
    }

    @Test
    void subByteDtypeWritesWholeBytes() throws IOException {
        byte[] data = {(byte) 0x5A};
        byte[] b = write(List.of(new TensorSpec("attn.0", DType.F4, Shape.of(1, 2))), null, Map.of("attn.0", data));
        String json = "{\"attn.0\":{\"dtype\":\"F4\",\"shape\":[1,2],\"data_offsets\":[0,1]}}";
        assertThat(json).hasSize(60);
        assertThat(b).isEqualTo(RawFiles.file(json + "    ", data));
    }

    @Test
    void orderIsDtypeDescendingThenNameBytes() throws IOException {
        List<TensorSpec> specs = List.of(
                new TensorSpec("layers.2", DType.F32, Shape.of(1)),
                new TensorSpec("b", DType.BF16, Shape.of(1)),
                new TensorSpec("layers.10", DType.F32, Shape.of(1)),
                new TensorSpec("a", DType.I64, Shape.of(1)),
                new TensorSpec("z", DType.BOOL, Shape.of(1)),
                // U+FF5E (3 UTF-8 bytes EF BD 9E) sorts before U+1F600 (F0 ...) in UTF-8 but after it in UTF-16.
                new TensorSpec("\uFF5E", DType.U8, Shape.of(1)),
                new TensorSpec("\uD83D\uDE00", DType.U8, Shape.of(1)));
        SafetensorsLayout layout = SafetensorsLayout.plan(dir.resolve("x"), specs, null);
        assertThat(layout.tensors()).extracting(TensorInfo::name)
                .containsExactly("a", "layers.10", "layers.2", "b", "\uFF5E", "\uD83D\uDE00", "z");
        assertThat(layout.tensors()).extracting(TensorInfo::begin).containsExactly(0L, 8L, 12L, 16L, 18L, 19L, 20L);
    }

    @Test
    void namesAreEscapedAsSerdeJsonDoes() {
        SafetensorsLayout layout = SafetensorsLayout.plan(dir.resolve("x"),
                List.of(new TensorSpec("q\"b\\s/\n\u0001é", DType.U8, Shape.of(0))), null);
        String header = new String(layout.prefixAndHeader(), 8, layout.prefixAndHeader().length - 8, StandardCharsets.UTF_8);
        assertThat(header.trim()).isEqualTo("{\"q\\\"b\\\\s/\\n\\u0001é\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}");
    }

    @Test
    void metadataComesFirstInGivenOrder() {
        Map<String, String> md = new LinkedHashMap<>();
        md.put("format", "pt");
        md.put("a", "b");
        SafetensorsLayout layout = SafetensorsLayout.plan(dir.resolve("x"),
                List.of(new TensorSpec("t", DType.F16, Shape.of())), md);
        String header = new String(layout.prefixAndHeader(), 8, layout.prefixAndHeader().length - 8, StandardCharsets.UTF_8);
        assertThat(header).isEqualTo("{\"__metadata__\":{\"format\":\"pt\",\"a\":\"b\"},"
                + "\"t\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[0,2]}}    ");
    }
}
