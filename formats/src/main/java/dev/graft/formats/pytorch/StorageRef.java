package dev.graft.formats.pytorch;

import dev.graft.formats.dtype.DType;

/**
 * A storage as a persistent id names it: {@code ('storage', storage_type, key, location, numel)}. Its bytes are
 * the archive entry {@code data/<key>}; {@code location} is the device it was saved from ({@code cpu},
 * {@code cuda:0}), which does not matter to a reader of bytes.
 *
 * @param key   the storage's entry name under {@code data/}
 * @param dtype the element type the storage type stands for ({@link DType#U8} for an untyped storage)
 * @param numel elements of {@code dtype} it holds
 */
record StorageRef(String key, DType dtype, long numel) {

    /** Bytes of data, or -1 when that overflows. */
    long byteSize() {
        return numel > Long.MAX_VALUE / dtype.byteSize() ? -1 : numel * dtype.byteSize();
    }
}
