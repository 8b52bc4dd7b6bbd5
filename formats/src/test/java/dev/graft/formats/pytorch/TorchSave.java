package dev.graft.formats.pytorch;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a state dict as {@code torch.save(state_dict, f)} does (torch/serialization.py {@code _save}): a pickle
 * {@code data.pkl} in which each tensor is {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
 * False, OrderedDict())} with the storage as persistent id {@code ('storage', torch.FloatStorage, key, 'cpu',
 * numel)}, then {@code byteorder} and one stored entry {@code data/<key>} per storage, in a folder named like the
 * file — or, with {@link #transformersStyle()}, as the {@code OrderedDict} with {@code _metadata} that
 * {@code model.state_dict()} returns. Newer dtypes (float8, uint16…) are written as torch 2.x writes them: an
 * untyped storage and {@code _rebuild_tensor_v3} with the dtype.
 *
 * <pre>{@code
 * new TorchSave().storage("0", DType.F32, bytes).tensor("w", "0", 0, 4, 3).write(path);
 * }</pre>
 */
public final class TorchSave {
    /** The storage class torch names for a dtype; null for the dtypes saved as untyped storages. */
    static String storageClass(DType d) {
        return switch (d) {
            case F64 -> "DoubleStorage";
            case F32 -> "FloatStorage";
            case F16 -> "HalfStorage";
            case BF16 -> "BFloat16Storage";
            case I64 -> "LongStorage";
            case I32 -> "IntStorage";
            case I16 -> "ShortStorage";
            case I8 -> "CharStorage";
            case U8 -> "ByteStorage";
            case BOOL -> "BoolStorage";
            default -> null;
        };
    }

    private record Storage(DType dtype, MemorySegment bytes) {
    }

    private record Entry(String name, String storage, long offset, long[] shape, long[] stride, boolean parameter) {
    }

    private final Map<String, Storage> storages = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private String folder = "archive";
    private boolean ordered;
    private boolean byteOrder = true;
    private boolean wrapped;

    /** Float32 values as the little-endian bytes of a FloatStorage. */
    public static byte[] f32(float... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** A storage of {@code dtype} elements; its element count is the bytes' length over the element size. */
    public TorchSave storage(String key, DType dtype, byte[] bytes) {
        return storage(key, dtype, MemorySegment.ofArray(bytes));
    }

    public TorchSave storage(String key, DType dtype, MemorySegment bytes) {
        storages.put(key, new Storage(dtype, bytes));
        return this;
    }

    /** A contiguous tensor viewing {@code storage} from element {@code offset}. */
    public TorchSave tensor(String name, String storage, long offset, long... shape) {
        return tensor(name, storage, offset, shape, contiguousStrides(shape));
    }

    public TorchSave tensor(String name, String storage, long offset, long[] shape, long[] stride) {
        entries.add(new Entry(name, storage, offset, shape, stride, false));
        return this;
    }

    /** A tensor saved as an {@code nn.Parameter} ({@code _rebuild_parameter} around the tensor). */
    public TorchSave parameter(String name, String storage, long offset, long... shape) {
        entries.add(new Entry(name, storage, offset, shape, contiguousStrides(shape), true));
        return this;
    }

    /** Saves as {@code model.state_dict()} is: an OrderedDict carrying {@code _metadata}, set by BUILD. */
    public TorchSave transformersStyle() {
        this.ordered = true;
        return this;
    }

    /** The folder the records go in (torch names it after the file, or {@code archive}). */
    public TorchSave folder(String name) {
        this.folder = name;
        return this;
    }

    /** Saves {@code {"epoch": 3, "state_dict": <the state dict>}}, as training frameworks wrap it. */
    public TorchSave wrapped() {
        this.wrapped = true;
        return this;
    }

    /** Leaves out the {@code byteorder} record, as torch before 2.1 did. */
    public TorchSave withoutByteOrder() {
        this.byteOrder = false;
        return this;
    }

    /**
     * Writes a model's tensors as transformers' {@code save_pretrained(safe_serialization=False)} lays them out in
     * {@code dir}: {@code pytorch_model.bin}, or with {@code shards} over 1 the files
     * {@code pytorch_model-0000k-of-0000n.bin} (tensors dealt out in order) and {@code pytorch_model.bin.index.json};
     * the model's {@code config.json}, when it has one, beside them.
     */
    public static void writeModel(ModelSource model, Path dir, int shards) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        List<TensorSpec> specs = model.tensors();
        int per = (specs.size() + shards - 1) / shards;
        StringBuilder weightMap = new StringBuilder();
        long total = 0;
        for (int k = 0; k < shards; k++) {
            String stem = shards == 1 ? "pytorch_model" : String.format("pytorch_model-%05d-of-%05d", k + 1, shards);
            TorchSave s = new TorchSave().transformersStyle().folder(stem);
            int key = 0;
            for (TensorSpec spec : specs.subList(Math.min(k * per, specs.size()), Math.min((k + 1) * per, specs.size()))) {
                String storage = Integer.toString(key++);
                s.storage(storage, spec.dtype(), model.tensor(spec.name()).data());
                s.parameter(spec.name(), storage, 0, spec.shape().dims());
                weightMap.append(weightMap.isEmpty() ? "" : ",\n").append("    \"").append(spec.name())
                        .append("\": \"").append(stem).append(".bin\"");
                total += spec.byteSize();
            }
            s.write(dir.resolve(stem + ".bin"));
        }
        if (shards > 1) {
            java.nio.file.Files.writeString(dir.resolve(TorchCheckpoint.INDEX_FILE_NAME), "{\n  \"metadata\": {\n"
                    + "    \"total_size\": " + total + "\n  },\n  \"weight_map\": {\n" + weightMap + "\n  }\n}\n");
        }
        if (model.config().isPresent()) {
            java.nio.file.Files.writeString(dir.resolve("config.json"), model.config().get().json().toString());
        }
    }

    static long[] contiguousStrides(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= shape[i];
        }
        return stride;
    }

    /** The pickle {@code data.pkl} as torch.save writes it. */
    public byte[] pickle() {
        Pickler p = new Pickler().proto();
        if (wrapped) {
            p.emptyDict().mark().str("epoch").integer(3).str("state_dict");
        }
        if (ordered) {
            p.orderedDict();
        } else {
            p.emptyDict();
        }
        if (!entries.isEmpty()) {
            p.mark();
            for (Entry e : entries) {
                p.str(e.name());
                tensor(p, e);
            }
            p.setItems();
        }
        if (ordered) {
            // state_dict()'s _metadata: {'': {'version': 1}}, an OrderedDict in the dict BUILD sets as attributes.
            p.emptyDict().str("_metadata").orderedDict().str("").emptyDict().str("version").integer(1).setItem()
                    .setItem().setItem().build();
        }
        if (wrapped) {
            p.setItems();
        }
        return p.stop().toByteArray();
    }

    private void tensor(Pickler p, Entry e) {
        Storage s = storages.get(e.storage());
        String cls = storageClass(s.dtype());
        if (e.parameter()) {
            p.global("torch._utils", "_rebuild_parameter");
        }
        p.global("torch._utils", cls == null ? "_rebuild_tensor_v3" : "_rebuild_tensor_v2");
        p.mark();
        p.mark().str("storage");
        if (cls == null) {
            p.global("torch", "UntypedStorage");
        } else {
            p.global("torch", cls);
        }
        long numel = cls == null ? s.bytes().byteSize() : s.bytes().byteSize() / s.dtype().byteSize();
        p.str(e.storage()).str("cpu").integer(numel).tuple().persistentId();
        p.integer(e.offset()).ints(e.shape()).ints(e.stride()).bool(false).orderedDict();
        if (cls == null) {
            p.global("torch", s.dtype().torchName());
        }
        p.tuple().reduce();
        if (e.parameter()) {
            // _rebuild_parameter's arguments (data, requires_grad, backward_hooks) as TUPLE3, as Python writes them.
            p.bool(false).orderedDict().op(0x87).put().reduce();
        }
    }

    /** The archive, not yet written: for tests that alter it. */
    public TorchZipWriter zip() {
        return zip(pickle());
    }

    /** The archive with {@code pickle} as its {@code data.pkl}. */
    public TorchZipWriter zip(byte[] pickle) {
        TorchZipWriter z = new TorchZipWriter(folder).add("data.pkl", pickle);
        if (byteOrder) {
            z.add("byteorder", "little".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        for (Map.Entry<String, Storage> e : storages.entrySet()) {
            z.add("data/" + e.getKey(), e.getValue().bytes());
        }
        return z.add("version", "3\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Writes the checkpoint to {@code file}. */
    public Path write(Path file) throws IOException {
        zip().write(file);
        return file;
    }
}
