package dev.graft.formats.gguf;

import dev.graft.formats.json.JsonStrings;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.io.MappedFile;
import dev.graft.formats.io.OpenInputs;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorFile;
import dev.graft.formats.tensor.TensorSpec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF file (v2 or v3, little-endian) opened for reading: the header is parsed and validated at open, the file
 * memory-mapped, and tensors handed out by their GGUF names with row-major shapes (ggml's dimensions reversed).
 *
 * <p>F32, F16 and BF16 tensors are lazy views of the mapping; Q8_0, Q4_0, Q4_K and Q6_K tensors are dequantized to
 * float32 when asked for, exactly as ggml's {@code dequantize_row_q8_0} / {@code _q4_0} / {@code _q4_K} /
 * {@code _q6_K} compute them. A file
 * with other types (the other K- and i-quants) opens and lists, but {@link #specs()} and reading refuse it with
 * {@link GgufError#UNSUPPORTED_TENSOR_TYPE}.
 *
 * <pre>{@code
 * try (GgufFile f = GgufFile.open(Path.of("model.gguf"))) {
 *     String arch = f.header().get("general.architecture").orElseThrow().asString();
 *     float[] w = f.tensor("blk.0.attn_q.weight").toFloatArray();
 * }
 * }</pre>
 *
 * <p>Thread-safe for reading. While open, the file is one of {@link OpenInputs}, which no output may replace.
 */
public final class GgufFile implements TensorFile {
    private static final String READ_FAILED = "cannot read GGUF file";
    /** Blocks dequantized per pass. */
    private static final int CHUNK_BLOCKS = 2048;

    private final Path path;
    private final GgufHeader header;
    private final MappedFile file;
    private final MemorySegment whole;
    private final OpenInputs.Registration registration;

    private GgufFile(Path path, GgufHeader header, MappedFile file, MemorySegment whole) {
        this.registration = OpenInputs.register(path);
        this.path = path;
        this.header = header;
        this.file = file;
        this.whole = whole;
    }

    /**
     * Opens, validates and maps a file.
     *
     * @throws GgufException       when the file is not valid GGUF
     * @throws FileAccessException when it cannot be read
     */
    public static GgufFile open(Path path) {
        MappedFile file = MappedFile.open(path, READ_FAILED);
        try {
            MemorySegment whole = file.map(0, file.size());
            return new GgufFile(path, GgufHeader.parse(path, whole), file, whole);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Whether a file name says GGUF ({@code .gguf}, any case). */
    public static boolean isGgufName(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gguf");
    }

    @Override
    public Path path() {
        return path;
    }

    /** The parsed header: version, metadata, tensor infos, alignment. */
    public GgufHeader header() {
        return header;
    }

    /**
     * Every tensor's spec, in file order.
     *
     * @throws GgufException ({@link GgufError#UNSUPPORTED_TENSOR_TYPE}) naming the first tensor of a type Graft
     *                       does not read
     */
    @Override
    public List<TensorSpec> specs() {
        return header.tensors().stream().map(t -> t.spec(path)).toList();
    }

    @Override
    public Optional<TensorSpec> spec(String name) {
        return header.tensor(name).map(t -> t.spec(path));
    }

    /** The quantized tensors (Q8_0, Q4_0 …), which read dequantized. */
    @Override
    public List<String> dequantized() {
        return header.tensors().stream().filter(t -> t.type().isQuantized()).map(GgufTensorInfo::name).toList();
    }

    /**
     * A tensor: a lazy view for F32, F16 and BF16; for Q8_0 and Q4_0, a float32 copy dequantized into memory the
     * garbage collector frees.
     *
     * @throws GgufException for an unknown name or a type Graft does not read
     */
    @Override
    public Tensor tensor(String name) {
        GgufTensorInfo info = required(name);
        TensorSpec spec = info.spec(path);
        MemorySegment stored = whole.asSlice(header.dataStart() + info.offset(), info.byteSize());
        return info.type().isQuantized() ? dequantize(info, spec, stored, Arena.ofAuto()) : new Tensor(spec, stored);
    }

    /**
     * A tensor mapped on its own in the caller's arena (for F32/F16/BF16), or dequantized into memory of that
     * arena (Q8_0/Q4_0): closing the arena releases it.
     */
    @Override
    public Tensor tensor(String name, Arena arena) {
        GgufTensorInfo info = required(name);
        TensorSpec spec = info.spec(path);
        if (info.byteSize() == 0) {
            return tensor(name);
        }
        MemorySegment stored = file.map(header.dataStart() + info.offset(), info.byteSize(), arena,
                "cannot map tensor " + JsonStrings.quote(name));
        return info.type().isQuantized() ? dequantize(info, spec, stored, arena) : new Tensor(spec, stored);
    }

    private static Tensor dequantize(GgufTensorInfo info, TensorSpec spec, MemorySegment stored, Arena arena) {
        BlockCodec codec = BlockCodec.of(info.type());
        MemorySegment out = arena.allocate(spec.byteSize(), 64);
        long blocks = info.elementCount() / info.type().blockElements();
        float[] window = new float[(int) Math.min(CHUNK_BLOCKS, blocks) * info.type().blockElements()];
        for (long b = 0; b < blocks; b += CHUNK_BLOCKS) {
            int n = (int) Math.min(CHUNK_BLOCKS, blocks - b);
            codec.dequantize(stored, b * info.type().blockBytes(), n, window, 0);
            MemorySegment.copy(window, 0, out, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN),
                    b * info.type().blockElements() * 4, n * info.type().blockElements());
        }
        return new Tensor(new TensorSpec(spec.name(), DType.F32, spec.shape()), out);
    }

    private GgufTensorInfo required(String name) {
        return header.tensor(name).orElseThrow(() ->
                new GgufException(path, GgufError.TENSOR_NOT_FOUND, name, "no such tensor in this file"));
    }

    /**
     * The scalar metadata as text (arrays, such as the vocabulary, are left out): what {@link TensorFile} callers
     * show beside safetensors' {@code __metadata__}. {@link #header()} has every entry with its type.
     */
    @Override
    public Map<String, String> metadata() {
        Map<String, String> out = new LinkedHashMap<>();
        header.metadata().forEach((k, v) -> {
            if (v.type() != GgufValueType.ARRAY) {
                out.put(k, v.display());
            }
        });
        return out;
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
