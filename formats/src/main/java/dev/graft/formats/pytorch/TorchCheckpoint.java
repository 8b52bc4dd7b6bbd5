package dev.graft.formats.pytorch;

import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.io.OpenInputs;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorFile;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A PyTorch checkpoint in torch.save's zip format (torch 1.6 and later: {@code pytorch_model.bin}, {@code .pt},
 * {@code .pth}), read without running any of its pickle code and mapped in place.
 *
 * <p>The archive holds {@code <name>/data.pkl}, a pickle of the state dict whose tensors name their storages by
 * persistent id, and one stored entry {@code <name>/data/<key>} per storage. The pickle is read by a
 * {@link RestrictedUnpickler} that accepts only torch's tensor-rebuild globals, storage types and
 * {@code collections.OrderedDict}, as {@code torch.load(weights_only=True)} does; each tensor then becomes a view
 * of its storage's bytes in the mapping, after its strides (contiguous, row-major) and its range inside the storage
 * and the file are checked.
 *
 * <pre>{@code
 * try (TorchCheckpoint f = TorchCheckpoint.open(Path.of("pytorch_model.bin"))) {
 *     Tensor w = f.tensor("model.embed_tokens.weight");
 * }
 * }</pre>
 *
 * <p>Thread-safe for reading. While open, the file is one of {@link OpenInputs}, which no output may replace.
 */
public final class TorchCheckpoint implements TensorFile {
    /** The single-file name transformers' {@code save_pretrained(safe_serialization=False)} writes. */
    public static final String FILE_NAME = "pytorch_model.bin";
    /** The index of its sharded form, which has the layout of {@code model.safetensors.index.json}. */
    public static final String INDEX_FILE_NAME = "pytorch_model.bin.index.json";

    private record Location(TensorSpec spec, long fileOffset) {
    }

    private final Path path;
    private final StoredZip zip;
    private final Map<String, Location> byName;
    private final List<TensorSpec> specs;
    private final OpenInputs.Registration registration;

    private TorchCheckpoint(Path path, StoredZip zip, Map<String, Location> byName) {
        this.registration = OpenInputs.register(path);
        this.path = path;
        this.zip = zip;
        this.byName = byName;
        this.specs = byName.values().stream().map(Location::spec).toList();
    }

    /** Whether a file name has one of the extensions PyTorch checkpoints use ({@code .bin}, {@code .pt}, {@code .pth}). */
    public static boolean isCheckpointName(Path file) {
        Path name = file.getFileName();
        String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".pth");
    }

    /**
     * Opens, checks and maps a checkpoint.
     *
     * @throws PytorchFormatException when it is not torch's zip format, its pickle asks for anything but tensors,
     *                                or its tensors do not lie inside their storages and the file
     * @throws FileAccessException    when it cannot be read
     */
    public static TorchCheckpoint open(Path path) {
        byte[] head = head(path);
        if (!LegacyFormats.isZip(head)) {
            throw new PytorchFormatException(path, LegacyFormats.refusal(head));
        }
        StoredZip zip = StoredZip.open(path);
        try {
            return new TorchCheckpoint(path, zip, read(path, zip));
        } catch (RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static byte[] head(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(LegacyFormats.HEAD_BYTES);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read until full or at the end of a short file
            }
            return Arrays.copyOf(buf.array(), buf.position());
        } catch (IOException e) {
            throw new FileAccessException(path, "cannot read PyTorch checkpoint", e);
        }
    }

    private static Map<String, Location> read(Path path, StoredZip zip) {
        String prefix = archiveFolder(path, zip);
        if (zip.entry(prefix + "constants.pkl").isPresent()) {
            throw new PytorchFormatException(path, "is a TorchScript archive (torch.jit.save), not a torch.save "
                    + "state dict; save the model's state_dict() instead");
        }
        checkByteOrder(path, zip, prefix);
        String pickle = prefix + "data.pkl";
        StoredZip.Entry pkl = zip.entry(pickle).orElseThrow(() -> new PytorchFormatException(path,
                "is a zip archive without " + pickle + ", so not a torch.save checkpoint"));
        TorchObjects torch = new TorchObjects();
        Object root = new RestrictedUnpickler(path, pickle, zip.data(pkl), torch).load();
        Map<String, Long> storageStart = new HashMap<>();
        for (StorageRef s : torch.storages()) {
            storageStart.put(s.key(), storageOffset(path, zip, prefix, s));
        }
        Map<String, Location> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : StateDict.tensors(path, root).entrySet()) {
            TensorRef t = e.getValue();
            out.put(e.getKey(), locate(path, e.getKey(), t, storageStart.get(t.storage().key())));
        }
        return out;
    }

    /**
     * The folder every record sits in, {@code archive/} or the saved file's name: torch's reader takes it from the
     * first entry, as here.
     */
    private static String archiveFolder(Path path, StoredZip zip) {
        if (zip.entries().isEmpty()) {
            throw new PytorchFormatException(path, "is an empty zip archive, not a torch.save checkpoint");
        }
        String first = zip.entries().getFirst().name();
        int slash = first.indexOf('/');
        if (slash <= 0) {
            throw new PytorchFormatException(path, "is a zip archive whose first entry " + first
                    + " is not inside a folder, so not a torch.save checkpoint");
        }
        return first.substring(0, slash + 1);
    }

    /** torch.save records the writer's byte order since 2.1; before that, files are little-endian. */
    private static void checkByteOrder(Path path, StoredZip zip, String prefix) {
        Optional<StoredZip.Entry> e = zip.entry(prefix + "byteorder");
        if (e.isEmpty()) {
            return;
        }
        MemorySegment bytes = zip.data(e.get());
        String order = bytes.byteSize() > "little".length() ? ""
                : new String(bytes.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
        if (!order.equals("little")) {
            throw new PytorchFormatException(path, (order.equals("big") ? "was saved big-endian"
                    : "has a byteorder record that is neither little nor big")
                    + "; Graft reads little-endian checkpoints only");
        }
    }

    /** Where a storage's bytes start in the file, its entry checked to hold exactly the bytes the pickle declares. */
    private static long storageOffset(Path path, StoredZip zip, String prefix, StorageRef s) {
        String name = prefix + "data/" + s.key();
        StoredZip.Entry e = zip.entry(name).orElseThrow(() -> new PytorchFormatException(path,
                "storage " + s.key() + " has no entry " + name + " in the archive"));
        long offset = zip.dataOffset(e);
        if (s.byteSize() != e.size()) {
            throw new PytorchFormatException(path, "storage " + s.key() + " declares " + s.numel() + " " + s.dtype()
                    + " elements (" + (s.byteSize() < 0 ? "overflow" : s.byteSize() + " bytes") + ") but its entry "
                    + name + " holds " + e.size() + " bytes");
        }
        return offset;
    }

    /** Checks a tensor's view of its storage and places it in the file. */
    private static Location locate(Path path, String name, TensorRef t, long storageStart) {
        Shape shape;
        long bytes;
        long start;
        int size = t.dtype().byteSize();
        try {
            shape = Shape.of(t.shape());
            bytes = Math.multiplyExact(shape.elementCount(), (long) size);
            start = Math.multiplyExact(t.offset(), (long) size);
            if (!contiguous(t.shape(), t.stride())) {
                throw new PytorchFormatException(path, "tensor \"" + name + "\" has strides "
                        + Arrays.toString(t.stride()) + " for shape " + shape + ": not contiguous row-major; save it "
                        + "with .contiguous() first");
            }
        } catch (ArithmeticException e) {
            throw new PytorchFormatException(path, "tensor \"" + name + "\" of shape " + Arrays.toString(t.shape())
                    + " at element " + t.offset() + " overflows 64-bit sizes");
        }
        long available = t.storage().byteSize();
        if (bytes > 0 && (start > available || bytes > available - start)) {
            throw new PytorchFormatException(path, "tensor \"" + name + "\" (" + shape.elementCount() + " " + t.dtype()
                    + " elements from element " + t.offset() + ") runs past the end of its storage " + t.storage().key()
                    + " (" + available + " bytes)");
        }
        return new Location(new TensorSpec(name, t.dtype(), shape), bytes == 0 ? storageStart : storageStart + start);
    }

    /** Row-major with no gaps; a dimension of size 1 may have any stride, and an empty tensor any strides. */
    private static boolean contiguous(long[] shape, long[] stride) {
        long expected = 1;
        boolean empty = false;
        for (long d : shape) {
            empty |= d == 0;
        }
        if (empty) {
            return true;
        }
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected = Math.multiplyExact(expected, shape[i]);
        }
        return true;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public List<TensorSpec> specs() {
        return specs;
    }

    @Override
    public Optional<TensorSpec> spec(String name) {
        Location l = byName.get(name);
        return l == null ? Optional.empty() : Optional.of(l.spec());
    }

    @Override
    public Tensor tensor(String name) {
        Location l = locate(name);
        return new Tensor(l.spec(), zip.slice(l.fileOffset(), l.spec().byteSize()));
    }

    @Override
    public Tensor tensor(String name, Arena arena) {
        Location l = locate(name);
        long bytes = l.spec().byteSize();
        if (bytes == 0) {
            return tensor(name);
        }
        return new Tensor(l.spec(), zip.map(l.fileOffset(), bytes, arena, "tensor \"" + name + "\""));
    }

    private Location locate(String name) {
        Location l = byName.get(name);
        if (l == null) {
            throw new PytorchFormatException(path, "no tensor named \"" + name + "\" in this checkpoint");
        }
        return l;
    }

    /** PyTorch checkpoints carry no string metadata beside their tensors. */
    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    @Override
    public void close() {
        zip.close();
        registration.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
