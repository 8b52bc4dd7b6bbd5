package dev.graft.formats.safetensors;

import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.io.MappedFile;
import dev.graft.formats.io.OpenInputs;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorFile;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A safetensors file opened for reading: the header is parsed and validated at open, the data is memory-mapped
 * with {@code java.lang.foreign} (no 2 GiB limits, a single tensor can be larger), and tensors are handed out as
 * lazy views that read nothing until asked.
 *
 * <pre>{@code
 * try (SafetensorsFile f = SafetensorsFile.open(Path.of("model.safetensors"))) {
 *     Tensor w = f.tensor("model.layers.0.self_attn.q_proj.weight");
 *     float[] first = new float[1024];
 *     w.readFloats(0, first, 0, first.length);
 * }
 * }</pre>
 *
 * <p>Thread-safe: views may be read from many threads at once. Closing unmaps the file; views must not be used
 * afterwards. While open, the file is one of {@link OpenInputs}, which no output may replace.
 */
public final class SafetensorsFile implements TensorFile {
    private static final int PREFIX_BYTES = 8;
    private static final String READ_FAILED = "cannot read safetensors file";

    private final Path path;
    private final SafetensorsHeader header;
    private final MappedFile file;
    private final long dataStart;
    private final MemorySegment data;
    private final OpenInputs.Registration registration;

    private SafetensorsFile(Path path, SafetensorsHeader header, MappedFile file, long dataStart, MemorySegment data) {
        this.registration = OpenInputs.register(path);
        this.path = path;
        this.header = header;
        this.file = file;
        this.dataStart = dataStart;
        this.data = data;
    }

    /**
     * Opens, validates and maps a file.
     *
     * @throws SafetensorsException when the file is not valid safetensors
     * @throws FileAccessException  when it cannot be read
     */
    public static SafetensorsFile open(Path path) {
        MappedFile file = MappedFile.open(path, READ_FAILED);
        try {
            long size = file.size();
            SafetensorsHeader header = readHeader(path, file.channel(), size);
            long dataStart = size - header.dataLength();
            return new SafetensorsFile(path, header, file, dataStart, file.map(dataStart, header.dataLength()));
        } catch (IOException e) {
            file.close();
            throw new FileAccessException(path, READ_FAILED, e);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Reads and validates only the header, leaving the data unmapped: for listing a file's tensors cheaply.
     */
    public static SafetensorsHeader readHeader(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return readHeader(path, ch, ch.size());
        } catch (IOException e) {
            throw new FileAccessException(path, READ_FAILED, e);
        }
    }

    private static SafetensorsHeader readHeader(Path path, FileChannel ch, long size) throws IOException {
        if (size < PREFIX_BYTES) {
            throw new SafetensorsException(path, SafetensorsError.HEADER_TOO_SMALL,
                    "file is " + size + " bytes; the header length prefix alone takes 8");
        }
        ByteBuffer prefix = ByteBuffer.allocate(PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, prefix, 0);
        long n = prefix.getLong(0);
        // Compare as unsigned: the prefix is a u64 and a "negative" long is a huge length.
        if (Long.compareUnsigned(n, SafetensorsHeader.MAX_HEADER_SIZE) > 0) {
            throw new SafetensorsException(path, SafetensorsError.HEADER_TOO_LARGE,
                    "header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                            + SafetensorsHeader.MAX_HEADER_SIZE + " bytes");
        }
        if (PREFIX_BYTES + n > size) {
            throw new SafetensorsException(path, SafetensorsError.INVALID_HEADER_LENGTH,
                    "header length " + n + " runs past the end of the " + size + "-byte file (truncated file?)");
        }
        ByteBuffer json = ByteBuffer.allocate((int) n);
        readFully(ch, json, PREFIX_BYTES);
        return SafetensorsHeader.parse(path, json.array(), size - PREFIX_BYTES - n);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += r;
        }
    }

    @Override
    public Path path() {
        return path;
    }

    public SafetensorsHeader header() {
        return header;
    }

    /** The {@code __metadata__} map (empty when absent). */
    @Override
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** Tensor entries in data order. */
    public List<TensorInfo> tensors() {
        return header.tensors();
    }

    /** The specs of {@link #tensors()}, in data order. */
    @Override
    public List<TensorSpec> specs() {
        return header.tensors().stream().map(TensorInfo::spec).toList();
    }

    @Override
    public Optional<TensorSpec> spec(String name) {
        return header.tensor(name).map(TensorInfo::spec);
    }

    public boolean contains(String name) {
        return header.tensor(name).isPresent();
    }

    public Optional<TensorInfo> info(String name) {
        return header.tensor(name);
    }

    /**
     * A lazy view of one tensor's data.
     *
     * @throws SafetensorsException ({@link SafetensorsError#TENSOR_NOT_FOUND}) for an unknown name
     */
    @Override
    public Tensor tensor(String name) {
        return view(required(name));
    }

    /**
     * One tensor mapped on its own in the caller's arena (see {@link #map}).
     *
     * @throws SafetensorsException ({@link SafetensorsError#TENSOR_NOT_FOUND}) for an unknown name
     */
    @Override
    public Tensor tensor(String name, Arena arena) {
        return map(required(name), arena);
    }

    private TensorInfo required(String name) {
        return header.tensor(name).orElseThrow(() ->
                new SafetensorsException(path, SafetensorsError.TENSOR_NOT_FOUND, name, "no such tensor in this file"));
    }

    /** The view of a header entry of this file. */
    public Tensor view(TensorInfo info) {
        return new Tensor(info.spec(), data.asSlice(info.begin(), info.byteSize()));
    }

    /**
     * Maps one tensor on its own, in the caller's arena: closing the arena unmaps it, so its pages stop counting
     * towards the process's resident memory. {@link #view} shares the whole-file mapping instead, whose pages stay
     * resident until the file is closed; a streaming merge over models larger than memory maps tensor by tensor.
     *
     * @throws FileAccessException when the region cannot be mapped
     */
    public Tensor map(TensorInfo info, Arena arena) {
        if (header.tensor(info.name()).filter(info::equals).isEmpty()) {
            throw new IllegalArgumentException(info.name() + " is not an entry of " + path);
        }
        if (info.byteSize() == 0) {
            return view(info);
        }
        return new Tensor(info.spec(), file.map(dataStart + info.begin(), info.byteSize(), arena,
                "cannot map tensor \"" + info.name() + "\""));
    }

    @Override
    public void close() {
        file.close();
        registration.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
