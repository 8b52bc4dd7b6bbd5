package dev.graft.formats.safetensors;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;
import dev.graft.formats.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void rewritingAReferenceFileIsByteIdentical() throws IOException {
        for (String m : List.of("base", "ft1", "ft2", "ft3")) {
            Path src = TestData.mergeVectors().resolve("models").resolve(m).resolve("model.safetensors");
            Path out = dir.resolve(m + ".safetensors");
            try (SafetensorsFile in = SafetensorsFile.open(src)) {
                List<TensorSpec> specs = in.tensors().stream().map(TensorInfo::spec).toList();
                try (SafetensorsWriter w = SafetensorsWriter.create(out, specs, in.metadata(), false)) {
                    // Reverse order on purpose: positions come from the header, not from the call order.
                    for (TensorInfo t : in.tensors().reversed()) {
                        w.write(in.view(t));
                    }
                    w.commit();
                }
            }
            assertThat(Files.readAllBytes(out)).as(m).isEqualTo(Files.readAllBytes(src));
        }
    }

    @Test
    void referenceFileReadsAsExpected() {
        Path src = TestData.mergeVectors().resolve("models/base/model.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(src)) {
            assertThat(f.metadata()).containsExactly(java.util.Map.entry("format", "pt"));
            assertThat(f.tensors()).hasSize(3 * 9 + 3);
            Tensor emb = f.tensor("model.embed_tokens.weight");
            assertThat(emb.dtype()).isEqualTo(DType.BF16);
            assertThat(emb.shape()).isEqualTo(Shape.of(96, 48));
            float[] v = emb.toFloatArray();
            short raw = emb.data().get(ValueLayout.JAVA_SHORT_UNALIGNED, 2 * 17);
            assertThat(Float.floatToRawIntBits(v[17])).isEqualTo(raw << 16);
        }
    }

    @Test
    void tensorsMappedOnTheirOwnMatchTheViewsAndUnmapWithTheirArena() {
        Path src = TestData.mergeVectors().resolve("models/ft2/model.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(src)) {
            Tensor mapped;
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                for (TensorInfo t : f.tensors()) {
                    mapped = f.map(t, arena);
                    assertThat(mapped.spec()).isEqualTo(t.spec());
                    assertThat(mapped.data().mismatch(f.view(t).data())).isEqualTo(-1L);
                }
                mapped = f.map(f.tensors().getLast(), arena);
            }
            Tensor closed = mapped;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> closed.getFloat(0))
                    .isInstanceOf(IllegalStateException.class);
            TensorInfo foreign = new TensorInfo(f.tensors().getFirst().spec(), 1, 2);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.map(foreign, java.lang.foreign.Arena.global()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void everyDtypeRoundTripsBytes() throws IOException {
        Random rnd = new Random(42);
        List<TensorSpec> specs = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        int i = 0;
        for (DType d : DType.values()) {
            Shape shape = d.bits() % 8 == 0 ? Shape.of(3, 5) : Shape.of(4, 4);
            TensorSpec s = new TensorSpec("t" + (i++) + "." + d, d, shape);
            byte[] data = new byte[(int) s.byteSize()];
            rnd.nextBytes(data);
            specs.add(s);
            payloads.add(data);
        }
        specs.add(new TensorSpec("empty", DType.F32, Shape.of(2, 0)));
        payloads.add(new byte[0]);
        specs.add(new TensorSpec("scalar", DType.F64, Shape.of()));
        payloads.add(new byte[8]);
        Path out = dir.resolve("all.safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(out, specs, SafetensorsWriter.PT_METADATA, false)) {
            for (int k = 0; k < specs.size(); k++) {
                try (var sink = w.sink(specs.get(k).name())) {
                    sink.writeBytes(MemorySegment.ofArray(payloads.get(k)));
                }
            }
            w.commit();
        }
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertThat(f.tensors()).hasSize(specs.size());
            for (int k = 0; k < specs.size(); k++) {
                Tensor t = f.tensor(specs.get(k).name());
                assertThat(t.spec()).isEqualTo(specs.get(k));
                assertThat(t.data().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(payloads.get(k));
            }
        }
    }

    @Test
    void floatsRoundTripThroughEveryFloatDtype() throws IOException {
        float[] values = {0f, -0f, 1f, -2.5f, 0.1f, 448f, 3.14159f, -65504f, 1e-3f, 7f};
        List<TensorSpec> specs = new ArrayList<>();
        for (DType d : List.of(DType.F32, DType.F64, DType.BF16, DType.F16)) {
            specs.add(new TensorSpec(d.name(), d, Shape.of(values.length)));
        }
        Path out = dir.resolve("floats.safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(out, specs, SafetensorsWriter.PT_METADATA, false)) {
            for (TensorSpec s : specs) {
                w.writeFloats(s.name(), values);
            }
            w.commit();
        }
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertThat(f.tensor("F32").toFloatArray()).containsExactly(values);
            assertThat(f.tensor("F64").toFloatArray()).containsExactly(values);
            // 0.1 in bf16 is 0x3DCD = 0.10009765625; 3.14159 → 0x4049 = 3.140625
            float[] bf = f.tensor("BF16").toFloatArray();
            assertThat(bf[4]).isEqualTo(0.10009765625f);
            assertThat(bf[6]).isEqualTo(3.140625f);
            assertThat(f.tensor("F16").toFloatArray()[7]).isEqualTo(-65504f);
        }
    }

    @Test
    void windowedReadsCoverTheTensor() throws IOException {
        float[] values = new float[1000];
        for (int k = 0; k < values.length; k++) {
            values[k] = k * 0.5f;
        }
        Path out = dir.resolve("w.safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(out,
                List.of(new TensorSpec("w", DType.F32, Shape.of(10, 100))), null, false)) {
            try (var sink = w.sink("w")) {
                sink.writeFloats(values, 0, 300);
                sink.writeFloats(values, 300, 700);
            }
            w.commit();
        }
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            float[] win = new float[7];
            f.tensor("w").readFloats(993, win, 0, 7);
            assertThat(win).containsExactly(496.5f, 497f, 497.5f, 498f, 498.5f, 499f, 499.5f);
        }
    }
}
