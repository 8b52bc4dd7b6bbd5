package dev.graft.formats.delta;

import dev.graft.formats.tensor.ReleaseBehind;
import dev.graft.formats.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The checksum a delta records for each base tensor it was computed against: CRC32C (Castagnoli) over the tensor's
 * raw little-endian bytes as stored in the safetensors file, written as 8 lowercase hex digits. CRC32C is
 * hardware-accelerated on x86-64 and AArch64 (several GB/s per core), so checking a base costs less than
 * reading it.
 */
public final class TensorChecksum {
    /** Bytes fed to the CRC per call: ByteBuffer views are limited to 2 GiB. */
    private static final long STEP = 1L << 30;

    private TensorChecksum() {
    }

    /**
     * CRC32C of the tensor's bytes, as 8 hex digits; a large mapped tensor's pages leave resident memory behind the
     * pass ({@link ReleaseBehind}).
     */
    public static String of(Tensor tensor) {
        CRC32C crc = new CRC32C();
        ReleaseBehind.bytes(tensor, slice -> crc.update(slice.asByteBuffer()));
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }

    /** CRC32C of a byte region, as 8 hex digits. */
    public static String of(MemorySegment bytes) {
        CRC32C crc = new CRC32C();
        for (long off = 0; off < bytes.byteSize(); off += STEP) {
            crc.update(bytes.asSlice(off, Math.min(STEP, bytes.byteSize() - off)).asByteBuffer());
        }
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }
}
