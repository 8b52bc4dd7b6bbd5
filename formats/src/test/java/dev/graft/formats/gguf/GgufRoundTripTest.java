package dev.graft.formats.gguf;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Writing and reading GGUF: exact bytes of a small file, bit-exact float round trips, quantized round trips. */
class GgufRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void smallFileHasExactlyTheBytesOfTheFormat() throws IOException {
        Path out = dir.resolve("one.gguf");
        GgufLayout layout = GgufLayout.plan(out, Map.of("general.architecture", GgufValue.string("llama")),
                List.of(new GgufLayout.Entry("w", GgufTensorType.F32, Shape.of(2))));
        try (GgufWriter w = GgufWriter.create(out, layout, false)) {
            w.writeFloats("w", new float[] {1f, -2f});
            w.commit();
        }
        String header = "47475546" + "03000000" + "0100000000000000" + "0100000000000000"
                + "1400000000000000" + hex("general.architecture") + "08000000" + "0500000000000000" + hex("llama")
                + "0100000000000000" + hex("w") + "01000000" + "0200000000000000" + "00000000" + "0000000000000000";
        // 102 header bytes padded to 128; the 8 data bytes padded to 32.
        String expected = header + "00".repeat(128 - 102) + "0000803f" + "000000c0" + "00".repeat(24);
        assertThat(HexFormat.of().formatHex(Files.readAllBytes(out))).isEqualTo(expected);
        assertThat(layout.fileSize()).isEqualTo(160);
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void everyMetadataTypeRoundTrips() {
        Path out = dir.resolve("meta.gguf");
        Map<String, GgufValue> meta = new LinkedHashMap<>();
        meta.put("u8", new GgufValue(GgufValueType.UINT8, null, 255L));
        meta.put("i8", new GgufValue(GgufValueType.INT8, null, -128L));
        meta.put("u16", new GgufValue(GgufValueType.UINT16, null, 65535L));
        meta.put("i16", new GgufValue(GgufValueType.INT16, null, -32768L));
        meta.put("u32", GgufValue.u32(4294967295L));
        meta.put("i32", GgufValue.i32(Integer.MIN_VALUE));
        meta.put("f32", GgufValue.f32(1e-5f));
        meta.put("bool", GgufValue.bool(true));
        meta.put("str", GgufValue.string("héllo ✓"));
        meta.put("u64", GgufValue.u64(-1L));
        meta.put("i64", new GgufValue(GgufValueType.INT64, null, Long.MIN_VALUE));
        meta.put("f64", new GgufValue(GgufValueType.FLOAT64, null, Math.PI));
        meta.put("strings", GgufValue.strings(List.of("a", "", "Ġthe")));
        meta.put("i32s", GgufValue.i32s(new int[] {1, -3, 6}));
        meta.put("f32s", GgufValue.f32s(new float[] {-1000f, 0.5f}));
        meta.put("bools", new GgufValue(GgufValueType.ARRAY, GgufValueType.BOOL, List.of(true, false)));
        meta.put("u16s", new GgufValue(GgufValueType.ARRAY, GgufValueType.UINT16, List.of(1L, 65535L)));
        meta.put("empty", new GgufValue(GgufValueType.ARRAY, GgufValueType.UINT64, List.of()));
        write(out, meta, List.of());
        try (GgufFile f = GgufFile.open(out)) {
            assertThat(f.header().version()).isEqualTo(3);
            assertThat(f.header().metadata().keySet()).containsExactlyElementsOf(meta.keySet());
            for (String k : meta.keySet()) {
                GgufValue read = f.header().metadata().get(k);
                assertThat(read.type()).as(k).isEqualTo(meta.get(k).type());
                assertThat(read.elementType()).as(k).isEqualTo(meta.get(k).elementType());
                if (read.type() == GgufValueType.ARRAY) {
                    assertThat(List.copyOf(read.asList())).as(k).isEqualTo(meta.get(k).asList());
                } else {
                    assertThat(read.value()).as(k).isEqualTo(meta.get(k).value());
                }
            }
            assertThat(f.metadata()).containsEntry("u64", "18446744073709551615").containsEntry("str", "héllo ✓")
                    .doesNotContainKey("strings");
            assertThat(f.specs()).isEmpty();
        }
    }

    @Test
    void floatTypesRoundTripBitForBit() {
        Path out = dir.resolve("float.gguf");
        SplittableRandom r = new SplittableRandom(16);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (DType d : List.of(DType.F32, DType.F16, DType.BF16)) {
            byte[] bytes = new byte[3 * 5 * d.byteSize()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) r.nextInt(256); // any bits, NaN payloads and subnormals included
            }
            tensors.put("t." + d, new Tensor(new dev.graft.formats.tensor.TensorSpec("t." + d, d, Shape.of(3, 5)),
                    MemorySegment.ofArray(bytes)));
        }
        List<GgufLayout.Entry> entries = List.of(
                new GgufLayout.Entry("t.F32", GgufTensorType.F32, Shape.of(3, 5)),
                new GgufLayout.Entry("t.F16", GgufTensorType.F16, Shape.of(3, 5)),
                new GgufLayout.Entry("t.BF16", GgufTensorType.BF16, Shape.of(3, 5)));
        GgufLayout layout = GgufLayout.plan(out, Map.of(), entries);
        try (GgufWriter w = GgufWriter.create(out, layout, false)) {
            tensors.forEach(w::write);
            w.commit();
        }
        try (GgufFile f = GgufFile.open(out)) {
            for (Tensor t : tensors.values()) {
                Tensor back = f.tensor(t.name());
                assertThat(back.dtype()).isEqualTo(t.dtype());
                assertThat(back.shape()).isEqualTo(Shape.of(3, 5));
                assertThat(back.data().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(t.data().toArray(ValueLayout.JAVA_BYTE));
                assertThat(f.header().tensor(t.name()).orElseThrow().dims()).containsExactly(5, 3);
            }
        }
    }

    @Test
    void quantizedTensorsReadBackAsGgmlDequantizesThem() {
        Path out = dir.resolve("q.gguf");
        float[] values = new float[4 * 256];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) r.nextGaussian();
        }
        List<GgufTensorType> types = List.of(GgufTensorType.Q8_0, GgufTensorType.Q4_0, GgufTensorType.Q4_K,
                GgufTensorType.Q6_K);
        GgufLayout layout = GgufLayout.plan(out, Map.of("general.alignment", GgufValue.u32(64)), types.stream()
                .map(t -> new GgufLayout.Entry(t.name(), t, Shape.of(4, 256))).toList());
        try (GgufWriter w = GgufWriter.create(out, layout, false)) {
            for (GgufTensorType type : types) {
                // uneven windows: blocks must be assembled across calls
                try (GgufWriter.TensorSink s = w.sink(type.name())) {
                    s.writeFloats(values, 0, 7);
                    s.writeFloats(values, 7, 300);
                    s.writeFloats(values, 307, values.length - 307);
                }
            }
            w.commit();
        }
        for (GgufTensorType type : types) {
            BlockCodec codec = BlockCodec.of(type);
            int blockCount = values.length / type.blockElements();
            byte[] blocks = new byte[blockCount * type.blockBytes()];
            codec.quantize(values, 0, blockCount, blocks, 0);
            float[] expected = new float[values.length];
            codec.dequantize(MemorySegment.ofArray(blocks), 0, blockCount, expected, 0);
            String name = type.name();
            try (GgufFile f = GgufFile.open(out); java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                assertThat(f.header().alignment()).isEqualTo(64);
                assertThat(f.header().tensor(name).orElseThrow().offset() % 64).isZero();
                assertThat(f.header().tensor(name).orElseThrow().byteSize()).isEqualTo(blocks.length);
                assertThat(f.tensor(name).dtype()).isEqualTo(DType.F32);
                assertThat(f.tensor(name).toFloatArray()).containsExactly(expected);
                assertThat(f.tensor(name, arena).toFloatArray()).containsExactly(expected);
                assertThat(f.dequantized()).containsExactly("Q8_0", "Q4_0", "Q4_K", "Q6_K");
            }
        }
    }

    @Test
    void writerRefusesWhatLlamaCppCannotLoad() {
        Path out = dir.resolve("bad.gguf");
        assertThatThrownBy(() -> GgufLayout.plan(out, Map.of(), List.of(
                new GgufLayout.Entry("q", GgufTensorType.Q8_0, Shape.of(2, 48)))))
                .isInstanceOf(GgufException.class)
                .hasMessage(out + ": invalid tensor shape (tensor \"q\"): rows of 48 elements are not whole Q8_0 blocks of 32");
        String longName = "x".repeat(64);
        assertThatThrownBy(() -> GgufLayout.plan(out, Map.of(), List.of(
                new GgufLayout.Entry(longName, GgufTensorType.F32, Shape.of(2)))))
                .hasMessageEndingWith("a tensor name takes 1 to 63 bytes in llama.cpp; this one takes 64");
        assertThatThrownBy(() -> GgufLayout.plan(out, Map.of(), List.of(
                new GgufLayout.Entry("k", GgufTensorType.Q5_K, Shape.of(256)))))
                .hasMessageEndingWith("Graft writes F32, F16, BF16, Q8_0, Q4_0, Q4_K and Q6_K, not Q5_K");
        GgufLayout layout = GgufLayout.plan(out, Map.of(), List.of(
                new GgufLayout.Entry("q", GgufTensorType.Q8_0, Shape.of(1, 64))));
        float[] v = new float[64];
        v[40] = Float.NaN;
        try (GgufWriter w = GgufWriter.create(out, layout, false)) {
            assertThatThrownBy(() -> w.writeFloats("q", v)).isInstanceOf(GgufException.class)
                    .hasMessage(out + ": value cannot be stored (tensor \"q\"): element 40 (row-major): element is "
                            + "NaN; a quantized block cannot hold NaN or infinity; write this tensor as F16 or F32");
            assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class)
                    .hasMessage(out + ": tensor \"q\" has 0 of its 64 elements written");
        }
        assertThat(Files.exists(out)).isFalse();
    }

    private static void write(Path out, Map<String, GgufValue> meta, List<GgufLayout.Entry> entries) {
        try (GgufWriter w = GgufWriter.create(out, GgufLayout.plan(out, meta, entries), false)) {
            w.commit();
        }
    }
}
