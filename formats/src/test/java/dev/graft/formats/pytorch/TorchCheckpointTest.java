package dev.graft.formats.pytorch;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.OpenInputs;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading what torch.save writes: every dtype, the container styles, views of shared storages, ZIP64. */
class TorchCheckpointTest {
    @TempDir
    Path dir;

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Six random elements of {@code d} (bools 0 or 1), the same for the same seed. */
    private static byte[] storageBytes(DType d, long seed) {
        byte[] data = randomBytes(6 * d.byteSize(), seed);
        if (d == DType.BOOL) {
            for (int k = 0; k < data.length; k++) {
                data[k] &= 1;
            }
        }
        return data;
    }

    private static byte[] bytesOf(Tensor t) {
        return t.data().toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void readsEveryDtypeBitForBit() throws IOException {
        List<DType> dtypes = List.of(DType.F32, DType.F16, DType.BF16, DType.F64, DType.I64, DType.I32, DType.I16,
                DType.I8, DType.U8, DType.BOOL, DType.U16, DType.U32, DType.U64, DType.F8_E4M3, DType.F8_E5M2);
        TorchSave save = new TorchSave();
        for (int i = 0; i < dtypes.size(); i++) {
            DType d = dtypes.get(i);
            byte[] data = storageBytes(d, i);
            save.storage(Integer.toString(i), d, data).tensor("t." + d.name(), Integer.toString(i), 0, 2, 3);
        }
        Path file = save.write(dir.resolve("all.pt"));
        try (TorchCheckpoint f = TorchCheckpoint.open(file)) {
            assertThat(f.specs()).hasSize(dtypes.size());
            for (int i = 0; i < dtypes.size(); i++) {
                DType d = dtypes.get(i);
                byte[] expected = storageBytes(d, i);
                Tensor t = f.tensor("t." + d.name());
                assertThat(t.spec()).isEqualTo(new TensorSpec("t." + d.name(), d, Shape.of(2, 3)));
                assertThat(bytesOf(t)).as(d.name()).isEqualTo(expected);
            }
        }
    }

    @Test
    void decodesValuesAsTorchHoldsThem() throws IOException {
        ByteBuffer bf16 = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3FC0)
                .putShort((short) 0xC000).putShort((short) 0x7F80);
        ByteBuffer i64 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-7).putLong(1L << 40);
        Path file = new TorchSave()
                .storage("0", DType.F32, TorchSave.f32(1.5f, -2.25f, 0f, 3e-8f))
                .storage("1", DType.BF16, bf16.array())
                .storage("2", DType.I64, i64.array())
                .storage("3", DType.BOOL, new byte[] {1, 0, 1})
                .tensor("f", "0", 0, 2, 2).tensor("b", "1", 0, 3).tensor("l", "2", 0, 2).tensor("ok", "3", 0, 3)
                .write(dir.resolve("values.pt"));
        try (TorchCheckpoint f = TorchCheckpoint.open(file)) {
            assertThat(f.tensor("f").toFloatArray()).containsExactly(1.5f, -2.25f, 0f, 3e-8f);
            assertThat(f.tensor("b").toFloatArray()).containsExactly(1.5f, -2f, Float.POSITIVE_INFINITY);
            assertThat(f.tensor("l").toFloatArray()).containsExactly(-7f, 0x1p40f);
            assertThat(f.tensor("ok").toFloatArray()).containsExactly(1f, 0f, 1f);
        }
    }

    /**
     * {@code model.state_dict()} as transformers saves it: an OrderedDict with {@code _metadata} set by BUILD,
     * parameters, tensors viewing one storage at different offsets (as split or tied weights do), memo entries
     * past 255 and names in a folder called after the file.
     */
    @Test
    void readsAStateDictAsTransformersSavesIt() throws IOException {
        TorchSave save = new TorchSave().transformersStyle().folder("pytorch_model")
                .storage("0", DType.F32, TorchSave.f32(0, 1, 2, 3, 4, 5, 6, 7))
                .parameter("q.weight", "0", 0, 2, 2)
                .tensor("k.weight", "0", 4, 2, 2)
                .tensor("tied.weight", "0", 0, 2, 2)
                .tensor("scalar", "0", 7);
        for (int i = 0; i < 150; i++) {
            save.tensor("layer." + i + ".bias", "0", i % 8, 1);
        }
        Path file = save.write(dir.resolve("pytorch_model.bin"));
        try (TorchCheckpoint f = TorchCheckpoint.open(file)) {
            assertThat(f.specs()).hasSize(154);
            assertThat(f.specs().subList(0, 4)).extracting(TensorSpec::name)
                    .containsExactly("q.weight", "k.weight", "tied.weight", "scalar");
            assertThat(f.tensor("q.weight").toFloatArray()).containsExactly(0, 1, 2, 3);
            assertThat(f.tensor("k.weight").toFloatArray()).containsExactly(4, 5, 6, 7);
            assertThat(f.tensor("tied.weight").toFloatArray()).containsExactly(0, 1, 2, 3);
            assertThat(f.tensor("scalar").shape()).isEqualTo(Shape.of());
            assertThat(f.tensor("scalar").toFloatArray()).containsExactly(7);
            assertThat(f.tensor("layer.149.bias").toFloatArray()).containsExactly(5);
            assertThat(f.metadata()).isEmpty();
        }
    }

    @Test
    void readsZip64ArchivesWithoutAByteOrderRecord() throws IOException {
        Path file = dir.resolve("old.pth");
        new TorchSave().withoutByteOrder().storage("7", DType.F16, new byte[] {0, 0x3C, 0, (byte) 0xC0})
                .tensor("h", "7", 0, 2).zip().zip64().write(file);
        try (TorchCheckpoint f = TorchCheckpoint.open(file)) {
            assertThat(f.tensor("h").toFloatArray()).containsExactly(1f, -2f);
        }
    }

    @Test
    void emptyTensorsNeedNoBytes() throws IOException {
        Path file = new TorchSave().storage("0", DType.F32, new byte[0]).tensor("none", "0", 0, 0, 5)
                .tensor("strided", "0", 0, new long[] {3, 0}, new long[] {7, 9})
                .write(dir.resolve("empty.pt"));
        try (TorchCheckpoint f = TorchCheckpoint.open(file); Arena arena = Arena.ofConfined()) {
            assertThat(f.tensor("none").shape()).isEqualTo(Shape.of(0, 5));
            assertThat(f.tensor("none", arena).data().byteSize()).isZero();
            assertThat(f.tensor("strided").elementCount()).isZero();
        }
    }

    /** A dimension of size 1 may carry any stride: torch calls such a tensor contiguous. */
    @Test
    void sizeOneDimensionsMayHaveAnyStride() throws IOException {
        Path file = new TorchSave().storage("0", DType.F32, TorchSave.f32(1, 2, 3))
                .tensor("row", "0", 0, new long[] {1, 3}, new long[] {99, 1})
                .write(dir.resolve("row.pt"));
        try (TorchCheckpoint f = TorchCheckpoint.open(file)) {
            assertThat(f.tensor("row").toFloatArray()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aTensorMappedOnItsOwnHoldsTheSameBytes() throws IOException {
        byte[] data = randomBytes(4096 * 2, 3);
        Path file = new TorchSave().storage("0", DType.BF16, data).tensor("w", "0", 1024, 64, 48)
                .write(dir.resolve("w.pt"));
        try (TorchCheckpoint f = TorchCheckpoint.open(file)) {
            byte[] expected = java.util.Arrays.copyOfRange(data, 2048, 2048 + 64 * 48 * 2);
            assertThat(bytesOf(f.tensor("w"))).isEqualTo(expected);
            try (Arena arena = Arena.ofConfined()) {
                assertThat(bytesOf(f.tensor("w", arena))).isEqualTo(expected);
            }
        }
    }

    @Test
    void anOpenCheckpointIsAnInputNoOutputMayReplace() throws IOException {
        Path file = new TorchSave().storage("0", DType.F32, TorchSave.f32(1)).tensor("w", "0", 0, 1)
                .write(dir.resolve("in.bin"));
        Path real = file.toRealPath();
        try (TorchCheckpoint f = TorchCheckpoint.open(file)) {
            assertThat(OpenInputs.snapshot()).contains(real);
        }
        assertThat(OpenInputs.snapshot()).doesNotContain(real);
    }

    @Test
    void aStateDictWrappedAsTrainingFrameworksSaveItIsUnwrapped() throws IOException {
        Path file = new TorchSave().wrapped().storage("0", DType.F32, TorchSave.f32(2, 4)).tensor("w", "0", 0, 2)
                .write(dir.resolve("trained.pt"));
        try (TorchCheckpoint f = TorchCheckpoint.open(file)) {
            assertThat(f.specs()).extracting(TensorSpec::name).containsExactly("w");
            assertThat(f.tensor("w").toFloatArray()).containsExactly(2, 4);
        }
    }
}
