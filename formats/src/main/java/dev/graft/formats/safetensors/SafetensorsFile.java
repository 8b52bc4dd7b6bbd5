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
    /** Bytes from the start looked at to tell what a file that is not safetensors is instead. */
    private static final int SNIFF_BYTES = 72;
    /** Characters of a text file quoted in the "not a safetensors file" message. */
    private static final int TEXT_SHOWN = 24;
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
            checkIsSafetensors(path, ch, size, SafetensorsError.HEADER_TOO_SMALL);
            throw new SafetensorsException(path, SafetensorsError.HEADER_TOO_SMALL,
                    "file is " + size + " bytes; the header length prefix alone takes 8");
        }
        ByteBuffer prefix = ByteBuffer.allocate(PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, prefix, 0);
        long n = prefix.getLong(0);
        // Compare as unsigned: the prefix is a u64 and a "negative" long is a huge length.
        if (Long.compareUnsigned(n, SafetensorsHeader.MAX_HEADER_SIZE) > 0) {
            checkIsSafetensors(path, ch, size, SafetensorsError.HEADER_TOO_LARGE);
            throw new SafetensorsException(path, SafetensorsError.HEADER_TOO_LARGE,
                    "header length " + Long.toUnsignedString(n) + " exceeds the limit of "
                            + SafetensorsHeader.MAX_HEADER_SIZE + " bytes");
        }
        if (PREFIX_BYTES + n > size) {
            checkIsSafetensors(path, ch, size, SafetensorsError.INVALID_HEADER_LENGTH);
            throw new SafetensorsException(path, SafetensorsError.INVALID_HEADER_LENGTH,
                    "header length " + n + " runs past the end of the " + size + "-byte file (truncated file?)");
        }
        ByteBuffer json = ByteBuffer.allocate((int) n);
        readFully(ch, json, PREFIX_BYTES);
        return SafetensorsHeader.parse(path, json.array(), size - PREFIX_BYTES - n);
    }

    /**
     * For a file too short for the length prefix, or a prefix that cannot be right: when the file is plainly something else under a
     * {@code .safetensors} name (text such as an HTML error page or a README, a zip, a pickle, a GGUF file), says
     * so instead of reporting its first 8 bytes as a header length in the quintillions. The error kind stays the
     * length's ({@code error}), so callers that branch on it see what they always saw; the message changes.
     */
    private static void checkIsSafetensors(Path path, FileChannel ch, long size, SafetensorsError error)
            throws IOException {
        if (size == 0) {
            return; // nothing to tell: "file is 0 bytes" says it all
        }
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(SNIFF_BYTES, size));
        readFully(ch, head, 0);
        byte[] start = head.array();
        String what = kindOf(start);
        if (what == null) {
            what = text(start, size);
        }
        if (what != null) {
            throw SafetensorsException.notSafetensors(path, error, what);
        }
    }

    /** The file kind that a well-known magic number at the start of {@code start} gives away, or null. */
    private static String kindOf(byte[] start) {
        if (start.length < 4) {
            return null;
        }
        if (start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4) {
            return "it is a zip archive (a PyTorch checkpoint? Graft reads safetensors only; convert it first)";
        }
        if ((start[0] & 0xff) == 0x80 && start[1] >= 2 && start[1] <= 5) {
            return "it is a Python pickle (a PyTorch checkpoint? Graft reads safetensors only; convert it first)";
        }
        if (start[0] == 'G' && start[1] == 'G' && start[2] == 'U' && start[3] == 'F') {
            return "it is a GGUF file (give it a .gguf name to read it as one)";
        }
        return null;
    }

    /**
     * {@code it starts with the text "…"} when {@code start} is UTF-8 text without control characters (a real
     * header's length prefix has zero bytes, so it never is), else null.
     */
    private static String text(byte[] start, long size) {
        java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(start.length);
        java.nio.charset.CoderResult r = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .decode(ByteBuffer.wrap(start), chars, size == start.length);
        if (r.isError()) {
            return null;
        }
        chars.flip();
        StringBuilder shown = new StringBuilder();
        boolean cut = size > start.length || chars.remaining() > TEXT_SHOWN;
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (c == '\n' || c == '\r' || c == '\t') {
                c = ' ';
            } else if (Character.isISOControl(c)) {
                return null;
            }
            if (shown.length() < TEXT_SHOWN) {
                shown.append(c);
            }
        }
        return "it starts with the text \"" + shown.toString().strip() + (cut ? "…" : "") + "\"";
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
