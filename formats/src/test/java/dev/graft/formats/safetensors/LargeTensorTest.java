package dev.graft.formats.safetensors;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A single tensor over 2 GiB, in a sparse file so the test costs no disk and little time. */
class LargeTensorTest {
    @TempDir
    Path dir;

    @Test
    void readsATensorLargerThanTwoGiB() throws IOException {
        long elements = (1L << 31) + 3; // 4 GiB + 6 bytes of BF16, more elements than a Java array holds
        SafetensorsLayout layout = SafetensorsLayout.plan(dir.resolve("big.safetensors"),
                List.of(new TensorSpec("big", DType.BF16, Shape.of(elements))), null);
        Path p = dir.resolve("big.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.write(layout.prefixAndHeader());
            raf.setLength(layout.fileSize());
            // last element = bf16 2.0 (0x4000)
            raf.seek(layout.fileSize() - 2);
            raf.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x4000).array());
        }
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            Tensor t = f.tensor("big");
            assertThat(t.data().byteSize()).isEqualTo(2 * elements);
            float[] tail = new float[4];
            t.readFloats(elements - 4, tail, 0, 4);
            assertThat(tail).containsExactly(0f, 0f, 0f, 2f);
            assertThat(t.getFloat(elements - 1)).isEqualTo(2f);
            assertThatThrownBy(t::toFloatArray).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessage("big has 2147483651 elements, more than one Java array holds; read it in windows with readFloats");
            assertThatThrownBy(() -> t.readFloats(elements - 1, tail, 0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }
}
