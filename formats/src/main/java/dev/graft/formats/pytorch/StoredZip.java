package dev.graft.formats.pytorch;

import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.io.MappedFile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A zip archive mapped whole and read through its central directory (ZIP64 included), of which only stored,
 * unencrypted entries can be read: torch.save writes every record stored and 64-byte aligned precisely so that
 * readers can map tensors in place, and a compressed entry could only be read by inflating it into memory.
 *
 * <p>Every offset and length the directory declares is checked against the file before it is used, so a damaged
 * or hostile archive fails with a message instead of reading outside the file.
 */
final class StoredZip implements AutoCloseable {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int EOCD_BYTES = 22;
    private static final int MAX_COMMENT = 0xFFFF;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_LOCATOR_BYTES = 20;
    private static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
    private static final int ZIP64_EOCD_BYTES = 56;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int CENTRAL_BYTES = 46;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int LOCAL_BYTES = 30;
    private static final int ZIP64_EXTRA_ID = 0x0001;
    private static final long U32_MAX = 0xFFFFFFFFL;
    private static final int U16_MAX = 0xFFFF;
    /** General-purpose flag bit 0: the entry is encrypted. */
    private static final int FLAG_ENCRYPTED = 1;

    /** Compression methods by number, for messages. */
    private static final int STORED = 0;
    private static final int DEFLATED = 8;

    /**
     * One central-directory record.
     *
     * @param name              the entry's path inside the archive
     * @param method            0 stored, 8 deflated, …
     * @param flags             the general-purpose bit flags
     * @param compressedSize    bytes the entry takes in the file
     * @param size              bytes it holds once extracted
     * @param localHeaderOffset where its local header starts
     */
    record Entry(String name, int method, int flags, long compressedSize, long size, long localHeaderOffset) {
    }

    private final Path path;
    private final MappedFile mapped;
    private final MemorySegment file;
    private final List<Entry> entries;
    private final Map<String, Entry> byName;

    private StoredZip(Path path, MappedFile mapped, MemorySegment file, List<Entry> entries) {
        this.path = path;
        this.mapped = mapped;
        this.file = file;
        this.entries = List.copyOf(entries);
        Map<String, Entry> map = new HashMap<>();
        for (Entry e : entries) {
            if (map.putIfAbsent(e.name(), e) != null) {
                // Readers disagree on which of two same-named entries counts; refusing is the only safe reading.
                throw new PytorchFormatException(path, "the archive holds two entries named " + e.name());
            }
        }
        this.byName = map;
    }

    /**
     * Maps a file and reads its central directory.
     *
     * @throws PytorchFormatException when the file is not a well-formed zip archive
     * @throws FileAccessException    when it cannot be read
     */
    static StoredZip open(Path path) {
        MappedFile mapped = MappedFile.open(path, "cannot read PyTorch checkpoint");
        try {
            MemorySegment file = mapped.map(0, mapped.size());
            return new StoredZip(path, mapped, file, readDirectory(path, file));
        } catch (RuntimeException e) {
            mapped.close();
            throw e;
        }
    }

    private static List<Entry> readDirectory(Path path, MemorySegment file) {
        long size = file.byteSize();
        long eocd = findEndOfDirectory(file);
        if (eocd < 0) {
            throw new PytorchFormatException(path, "damaged zip archive: no end-of-central-directory record");
        }
        long count = u16(file, eocd + 10);
        long directorySize = u32(file, eocd + 12);
        long directoryOffset = u32(file, eocd + 16);
        if (u16(file, eocd + 4) != 0 || u16(file, eocd + 6) != 0) {
            throw new PytorchFormatException(path, "multi-part zip archives are not supported");
        }
        long locator = eocd - ZIP64_LOCATOR_BYTES;
        if (locator >= 0 && file.get(U32, locator) == ZIP64_LOCATOR_SIGNATURE) {
            long record = file.get(U64, locator + 8);
            if (record < 0 || record > size - ZIP64_EOCD_BYTES || file.get(U32, record) != ZIP64_EOCD_SIGNATURE) {
                throw new PytorchFormatException(path, "damaged zip archive: the ZIP64 end-of-directory record is "
                        + "missing");
            }
            count = file.get(U64, record + 32);
            directorySize = file.get(U64, record + 40);
            directoryOffset = file.get(U64, record + 48);
        }
        if (directoryOffset < 0 || directorySize < 0 || directoryOffset > size || directorySize > size - directoryOffset) {
            throw new PytorchFormatException(path, "damaged zip archive: the central directory (" + directorySize
                    + " bytes at byte " + directoryOffset + ") runs past the end of the " + size + "-byte file");
        }
        if (count < 0 || count > directorySize / CENTRAL_BYTES) {
            throw new PytorchFormatException(path, "damaged zip archive: " + count + " entries cannot fit in a "
                    + directorySize + "-byte central directory");
        }
        List<Entry> out = new ArrayList<>((int) count);
        long at = directoryOffset;
        long end = directoryOffset + directorySize;
        for (long i = 0; i < count; i++) {
            if (end - at < CENTRAL_BYTES || file.get(U32, at) != CENTRAL_SIGNATURE) {
                throw new PytorchFormatException(path, "damaged zip archive: central directory record " + i
                        + " is missing");
            }
            int nameLength = u16(file, at + 28);
            int extraLength = u16(file, at + 30);
            int commentLength = u16(file, at + 32);
            long recordEnd = at + CENTRAL_BYTES + nameLength + extraLength + commentLength;
            if (recordEnd > end) {
                throw new PytorchFormatException(path, "damaged zip archive: central directory record " + i
                        + " runs past the directory");
            }
            String name = new String(file.asSlice(at + CENTRAL_BYTES, nameLength).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
            long compressed = u32(file, at + 20);
            long uncompressed = u32(file, at + 24);
            long local = u32(file, at + 42);
            if (compressed == U32_MAX || uncompressed == U32_MAX || local == U32_MAX) {
                long[] wide = zip64Fields(path, name, file.asSlice(at + CENTRAL_BYTES + nameLength, extraLength),
                        uncompressed == U32_MAX, compressed == U32_MAX, local == U32_MAX);
                uncompressed = wide[0] >= 0 ? wide[0] : uncompressed;
                compressed = wide[1] >= 0 ? wide[1] : compressed;
                local = wide[2] >= 0 ? wide[2] : local;
            }
            out.add(new Entry(name, u16(file, at + 10), u16(file, at + 8), compressed, uncompressed, local));
            at = recordEnd;
        }
        return out;
    }

    /** Scans back from the end for the end-of-directory record whose comment ends exactly at the end of the file. */
    private static long findEndOfDirectory(MemorySegment file) {
        long size = file.byteSize();
        long last = size - EOCD_BYTES;
        for (long at = last; at >= 0 && at >= last - MAX_COMMENT; at--) {
            if (file.get(U32, at) == EOCD_SIGNATURE && at + EOCD_BYTES + u16(file, at + 20) == size) {
                return at;
            }
        }
        return -1;
    }

    /**
     * The 64-bit values of a ZIP64 extended-information field: uncompressed size, compressed size, local header
     * offset, each present only when its 32-bit field is saturated; -1 where absent.
     */
    private static long[] zip64Fields(Path path, String name, MemorySegment extra, boolean size, boolean compressed,
                                      boolean offset) {
        long at = 0;
        while (at + 4 <= extra.byteSize()) {
            int id = u16(extra, at);
            int length = u16(extra, at + 2);
            if (at + 4 + length > extra.byteSize()) {
                break;
            }
            if (id == ZIP64_EXTRA_ID) {
                long[] out = {-1, -1, -1};
                boolean[] wanted = {size, compressed, offset};
                long field = at + 4;
                for (int k = 0; k < 3; k++) {
                    if (wanted[k]) {
                        if (field + 8 > at + 4 + length) {
                            throw new PytorchFormatException(path, "damaged zip archive: entry " + name
                                    + " has a truncated ZIP64 field");
                        }
                        out[k] = extra.get(U64, field);
                        field += 8;
                    }
                }
                return out;
            }
            at += 4 + length;
        }
        throw new PytorchFormatException(path, "damaged zip archive: entry " + name
                + " declares ZIP64 sizes but has no ZIP64 field");
    }

    private static int u16(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(U16, at));
    }

    private static long u32(MemorySegment s, long at) {
        return Integer.toUnsignedLong(s.get(U32, at));
    }

    Path path() {
        return path;
    }

    /** Every entry, in central-directory order. */
    List<Entry> entries() {
        return entries;
    }

    Optional<Entry> entry(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Where a stored entry's bytes start in the file, checked: a stored, unencrypted entry whose local header and
     * data lie inside the file.
     *
     * @throws PytorchFormatException otherwise, naming the entry
     */
    long dataOffset(Entry e) {
        long size = file.byteSize();
        if (e.method() != STORED) {
            throw new PytorchFormatException(path, "entry " + e.name() + " is "
                    + (e.method() == DEFLATED ? "deflated" : "compressed (method " + e.method() + ")")
                    + "; Graft maps checkpoints in place and reads only stored entries, as torch.save writes them");
        }
        if ((e.flags() & FLAG_ENCRYPTED) != 0) {
            throw new PytorchFormatException(path, "entry " + e.name() + " is encrypted");
        }
        if (e.compressedSize() != e.size()) {
            throw new PytorchFormatException(path, "damaged zip archive: stored entry " + e.name() + " declares "
                    + e.size() + " bytes but takes " + e.compressedSize());
        }
        long local = e.localHeaderOffset();
        if (local < 0 || local > size - LOCAL_BYTES) {
            throw new PytorchFormatException(path, "entry " + e.name() + " starts at byte "
                    + Long.toUnsignedString(local) + ", past the end of the " + size + "-byte file");
        }
        if (file.get(U32, local) != LOCAL_SIGNATURE) {
            throw new PytorchFormatException(path, "damaged zip archive: entry " + e.name()
                    + " has no local header at byte " + local);
        }
        int nameLength = u16(file, local + 26);
        long start = local + LOCAL_BYTES + nameLength + u16(file, local + 28);
        // The directory and the local header must agree on the name, or the directory points into another entry.
        byte[] expected = e.name().getBytes(StandardCharsets.UTF_8);
        if (nameLength != expected.length || local + LOCAL_BYTES + nameLength > size
                || !java.util.Arrays.equals(file.asSlice(local + LOCAL_BYTES, nameLength).toArray(ValueLayout.JAVA_BYTE),
                expected)) {
            throw new PytorchFormatException(path, "damaged zip archive: the local header at byte " + local
                    + " is not the one of entry " + e.name());
        }
        if (e.size() < 0 || start > size || e.size() > size - start) {
            throw new PytorchFormatException(path, "entry " + e.name() + " (" + Long.toUnsignedString(e.size())
                    + " bytes at byte " + start + ") runs past the end of the " + size + "-byte file (truncated file?)");
        }
        return start;
    }

    /** A stored entry's bytes, a view of the file mapping. */
    MemorySegment data(Entry e) {
        return file.asSlice(dataOffset(e), e.size());
    }

    /** A slice of the whole-file mapping. */
    MemorySegment slice(long offset, long bytes) {
        return file.asSlice(offset, bytes);
    }

    /**
     * Maps a region of the file on its own in the caller's arena.
     *
     * @throws FileAccessException when it cannot be mapped
     */
    MemorySegment map(long offset, long bytes, Arena into, String what) {
        return mapped.map(offset, bytes, into, "cannot map " + what);
    }

    /** Unmaps the file; slices must not be used afterwards. */
    @Override
    public void close() {
        mapped.close();
    }
}
