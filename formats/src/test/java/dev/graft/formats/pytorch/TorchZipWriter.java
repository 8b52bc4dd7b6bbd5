package dev.graft.formats.pytorch;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a zip archive laid out as torch.save's writer (caffe2/serialize/inline_container.cc) lays it out: every
 * record under one folder, stored, its data aligned to 64 bytes by an {@code FB} extra field of padding, a central
 * directory and end record — from the APPNOTE.TXT zip specification. Options produce what torch never writes, for
 * the reader's refusals: a deflated entry, a local-header offset past the file, ZIP64 records for every entry.
 */
public final class TorchZipWriter {
    private static final int ALIGNMENT = 64;
    private static final int COPY_CHUNK = 1 << 24;

    private record Record(String name, MemorySegment data) {
    }

    private final String folder;
    private final List<Record> records = new ArrayList<>();
    private final Set<String> deflated = new HashSet<>();
    private final Map<String, Long> fakeOffsets = new HashMap<>();
    private boolean zip64;

    /** @param folder the folder all records go in ({@code archive}, or the saved file's stem) */
    public TorchZipWriter(String folder) {
        this.folder = folder;
    }

    /** Adds {@code folder/name} holding {@code data}, in the order added. */
    public TorchZipWriter add(String name, byte[] data) {
        return add(name, MemorySegment.ofArray(data));
    }

    public TorchZipWriter add(String name, MemorySegment data) {
        records.add(new Record(folder + "/" + name, data));
        return this;
    }

    /** Adds an entry at the archive's root, outside the folder. */
    public TorchZipWriter addAtRoot(String name, byte[] data) {
        records.add(new Record(name, MemorySegment.ofArray(data)));
        return this;
    }

    /** Compresses {@code folder/name} with deflate, which torch never does. */
    public TorchZipWriter deflate(String name) {
        deflated.add(folder + "/" + name);
        return this;
    }

    /** Makes the central directory claim {@code folder/name}'s local header is at {@code offset}. */
    public TorchZipWriter claimOffset(String name, long offset) {
        fakeOffsets.put(folder + "/" + name, offset);
        return this;
    }

    /** Writes ZIP64 sizes and offsets for every entry and a ZIP64 end record, as files over 4 GiB need. */
    public TorchZipWriter zip64() {
        this.zip64 = true;
        return this;
    }

    /** Writes the archive. */
    public void write(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(ch);
            List<byte[]> central = new ArrayList<>();
            for (Record r : records) {
                long local = ch.position();
                boolean deflate = deflated.contains(r.name());
                MemorySegment data = deflate ? MemorySegment.ofArray(deflate(r.data())) : r.data();
                byte[] name = r.name().getBytes(StandardCharsets.UTF_8);
                long crc = crc(r.data());
                int method = deflate ? 8 : 0;
                byte[] extra = padding(local, name.length);
                ByteBuffer h = le(30 + name.length + extra.length);
                h.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) method)
                        .putShort((short) 0).putShort((short) 0x21).putInt((int) crc)
                        .putInt((int) data.byteSize()).putInt((int) r.data().byteSize())
                        .putShort((short) name.length).putShort((short) extra.length).put(name).put(extra);
                out.write(h.array());
                copy(data, out);
                out.flush();
                long claimed = fakeOffsets.getOrDefault(r.name(), local);
                central.add(centralRecord(name, method, crc, data.byteSize(), r.data().byteSize(), claimed));
            }
            long directory = ch.position();
            long directorySize = 0;
            for (byte[] c : central) {
                out.write(c);
                directorySize += c.length;
            }
            out.flush();
            if (zip64) {
                long record = ch.position();
                ByteBuffer z = le(56 + 20);
                z.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                        .putLong(central.size()).putLong(central.size()).putLong(directorySize).putLong(directory);
                z.putInt(0x07064b50).putInt(0).putLong(record).putInt(1);
                out.write(z.array());
            }
            ByteBuffer end = le(22);
            end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                    .putShort((short) (zip64 ? 0xFFFF : central.size())).putShort((short) (zip64 ? 0xFFFF : central.size()))
                    .putInt(zip64 ? -1 : (int) directorySize).putInt(zip64 ? -1 : (int) directory).putShort((short) 0);
            out.write(end.array());
            out.flush();
        }
    }

    private byte[] centralRecord(byte[] name, int method, long crc, long compressed, long size, long local) {
        byte[] extra = new byte[0];
        if (zip64) {
            ByteBuffer x = le(4 + 24);
            x.putShort((short) 1).putShort((short) 24).putLong(size).putLong(compressed).putLong(local);
            extra = x.array();
        }
        ByteBuffer c = le(46 + name.length + extra.length);
        c.putInt(0x02014b50).putShort((short) 45).putShort((short) 20).putShort((short) 0).putShort((short) method)
                .putShort((short) 0).putShort((short) 0x21).putInt((int) crc)
                .putInt(zip64 ? -1 : (int) compressed).putInt(zip64 ? -1 : (int) size)
                .putShort((short) name.length).putShort((short) extra.length).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(zip64 ? -1 : (int) local)
                .put(name).put(extra);
        return c.array();
    }

    /** torch's {@code FB} extra field: pads the local header so the data starts on a 64-byte boundary. */
    private static byte[] padding(long local, int nameLength) {
        long start = local + 30 + nameLength + 4;
        int pad = (int) ((ALIGNMENT - start % ALIGNMENT) % ALIGNMENT);
        ByteBuffer b = le(4 + pad);
        b.put((byte) 'F').put((byte) 'B').putShort((short) pad);
        for (int i = 0; i < pad; i++) {
            b.put((byte) 'Z');
        }
        return b.array();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long crc(MemorySegment data) {
        CRC32 crc = new CRC32();
        for (long off = 0; off < data.byteSize(); off += COPY_CHUNK) {
            crc.update(data.asSlice(off, Math.min(COPY_CHUNK, data.byteSize() - off)).asByteBuffer());
        }
        return crc.getValue();
    }

    private static void copy(MemorySegment data, OutputStream out) throws IOException {
        for (long off = 0; off < data.byteSize(); off += COPY_CHUNK) {
            out.write(data.asSlice(off, Math.min(COPY_CHUNK, data.byteSize() - off)).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    private static byte[] deflate(MemorySegment data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data.toArray(ValueLayout.JAVA_BYTE));
        d.finish();
        byte[] buf = new byte[(int) data.byteSize() + 64];
        int n = d.deflate(buf);
        d.end();
        byte[] out = new byte[n];
        System.arraycopy(buf, 0, out, 0, n);
        return out;
    }
}
