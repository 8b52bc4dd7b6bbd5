package dev.graft.formats.safetensors;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.OutputExistsException;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsWriterTest {
    @TempDir
    Path dir;

    private static final List<TensorSpec> SPECS = List.of(
            new TensorSpec("a", DType.F32, Shape.of(2)), new TensorSpec("b", DType.BF16, Shape.of(3)));

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void incompleteWriteLeavesNothingBehind() throws IOException {
        Path out = dir.resolve("m.safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(out, SPECS, null, false)) {
            w.writeFloats("a", new float[] {1, 2});
            try (var sink = w.sink("b")) {
                sink.writeFloats(new float[] {1}, 0, 1);
            }
            assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class)
                    .hasMessage(out.toAbsolutePath() + ": tensor \"b\" has 2 of its 6 bytes written");
        }
        assertThat(files()).isEmpty();
    }

    @Test
    void failureMidwayLeavesNothingBehind() throws IOException {
        Path out = dir.resolve("m.safetensors");
        assertThatThrownBy(() -> {
            try (SafetensorsWriter w = SafetensorsWriter.create(out, SPECS, null, false)) {
                w.writeFloats("a", new float[] {1, 2});
                throw new IllegalStateException("merge failed");
            }
        }).hasMessage("merge failed");
        assertThat(files()).isEmpty();
    }

    @Test
    void refusesToClobberAnExistingFile() throws IOException {
        Path out = dir.resolve("m.safetensors");
        Files.writeString(out, "precious");
        assertThatThrownBy(() -> SafetensorsWriter.create(out, SPECS, null, false))
                .isInstanceOf(OutputExistsException.class)
                .hasMessage(out + ": already exists; refusing to replace it");
        assertThat(Files.readString(out)).isEqualTo("precious");
        assertThat(files()).containsExactly(out);
    }

    @Test
    void refusesWhenTheTargetAppearsDuringTheWrite() throws IOException {
        Path out = dir.resolve("m.safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(out, SPECS, null, false)) {
            w.writeFloats("a", new float[] {1, 2});
            w.writeFloats("b", new float[] {1, 2, 3});
            Files.writeString(out, "precious");
            assertThatThrownBy(w::commit).isInstanceOf(OutputExistsException.class);
        }
        assertThat(Files.readString(out)).isEqualTo("precious");
        assertThat(files()).containsExactly(out);
    }

    @Test
    void replacesWhenAsked() throws IOException {
        Path out = dir.resolve("m.safetensors");
        Files.writeString(out, "old");
        try (SafetensorsWriter w = SafetensorsWriter.create(out, SPECS, null, true)) {
            w.writeFloats("a", new float[] {1, 2});
            w.writeFloats("b", new float[] {1, 2, 3});
            w.commit();
        }
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertThat(f.tensor("b").toFloatArray()).containsExactly(1, 2, 3);
        }
        assertThat(files()).containsExactly(out);
    }

    @Test
    void rejectsReservedAndDuplicateNames() {
        Path out = dir.resolve("m.safetensors");
        assertThatThrownBy(() -> SafetensorsWriter.create(out,
                List.of(new TensorSpec("__metadata__", DType.F32, Shape.of(1))), null, false))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage(out + ": invalid tensor name (tensor \"__metadata__\"): the name is reserved for the metadata map");
        assertThatThrownBy(() -> SafetensorsWriter.create(out,
                List.of(new TensorSpec("x", DType.F32, Shape.of(1)), new TensorSpec("x", DType.F16, Shape.of(1))), null, false))
                .isInstanceOf(SafetensorsException.class)
                .extracting(e -> ((SafetensorsException) e).error()).isEqualTo(SafetensorsError.DUPLICATE_KEY);
    }

    @Test
    void rejectsOverrunsAndSecondWrites() throws IOException {
        Path out = dir.resolve("m.safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(out, SPECS, null, false)) {
            assertThatThrownBy(() -> w.writeFloats("a", new float[] {1, 2, 3}))
                    .hasMessage("a: writing 12 bytes at byte 0 overruns its 8 bytes");
            assertThatThrownBy(() -> w.sink("a")).hasMessageEndingWith("tensor \"a\" was already written");
            assertThatThrownBy(() -> w.sink("zzz")).isInstanceOf(SafetensorsException.class)
                    .extracting(e -> ((SafetensorsException) e).error()).isEqualTo(SafetensorsError.TENSOR_NOT_FOUND);
        }
        assertThat(files()).isEmpty();
    }

    @Test
    void convertsBetweenDtypesWhenCopying() throws IOException {
        Path a = dir.resolve("a.safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(a,
                List.of(new TensorSpec("x", DType.F32, Shape.of(3))), null, false)) {
            w.writeFloats("x", new float[] {1.00390625f, 1.01171875f, -3f});
            w.commit();
        }
        Path b = dir.resolve("b.safetensors");
        try (SafetensorsFile in = SafetensorsFile.open(a);
             SafetensorsWriter w = SafetensorsWriter.create(b,
                     List.of(new TensorSpec("x", DType.BF16, Shape.of(3))), null, false)) {
            w.write(in.tensor("x"));
            w.commit();
        }
        try (SafetensorsFile f = SafetensorsFile.open(b)) {
            // round half to even: 1.00390625 → 1.0, 1.01171875 → 1.015625
            assertThat(f.tensor("x").toFloatArray()).containsExactly(1.0f, 1.015625f, -3f);
        }
    }
}
