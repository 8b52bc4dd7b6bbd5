package dev.graft.formats.gguf.export;

import dev.graft.formats.gguf.GgufError;
import dev.graft.formats.gguf.GgufException;
import dev.graft.formats.gguf.GgufFile;
import dev.graft.formats.gguf.GgufHeader;
import dev.graft.formats.gguf.GgufValue;
import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.model.ModelFormatException;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.NaturalOrder;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF model (Llama, Mistral or Qwen2) read under its Hugging Face names, the inverse of {@link GgufExport}: GGUF
 * names mapped back ({@link TensorNames#huggingFace}) and Llama-family q/k rows returned to Hugging Face's order
 * ({@link RotaryPermutation} undone), so that it can be merged with Hugging Face folders of the same architecture.
 * F32, F16 and BF16 tensors come back bit for bit as exported (norms, which the export widens to F32, as F32);
 * quantized ones dequantized as {@link GgufFile} reads them.
 *
 * <pre>{@code
 * try (ModelSource m = GgufAsHuggingFace.open(Path.of("model.gguf"))) {
 *     Tensor q = m.tensor("model.layers.0.self_attn.q_proj.weight");
 * }
 * }</pre>
 *
 * <p>Gemma is refused: its exported norms hold {@code w + 1} rounded, which subtracting one does not give back
 * exactly.
 */
public final class GgufAsHuggingFace implements ModelSource {
    private final ModelSource gguf;
    private final Map<String, String> toGguf;
    private final Map<String, TensorSpec> specs;
    private final Map<String, RotaryPermutation> permuted;

    private GgufAsHuggingFace(ModelSource gguf, GgufHeader header) {
        this.gguf = gguf;
        Path path = gguf.path();
        String archName = header.get("general.architecture").map(GgufValue::asString).orElseThrow(() ->
                new GgufException(path, GgufError.UNMAPPED_TO_HF, "no general.architecture; supported: llama, "
                        + "mistral, qwen2"));
        GgufArchitecture arch = archName.equals("gemma") ? null : GgufArchitecture.of(archName, path);
        if (arch == null || arch.normPlusOne()) {
            throw new GgufException(path, GgufError.UNMAPPED_TO_HF, "\"" + archName + "\" norms are stored plus one, "
                    + "which does not read back exactly; supported: llama, mistral, qwen2");
        }
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, TensorSpec> byHf = new LinkedHashMap<>();
        Map<String, RotaryPermutation> perms = new LinkedHashMap<>();
        int heads = arch.permutesQueryKey() ? headCount(header, archName, "attention.head_count", path) : 0;
        int kvHeads = arch.permutesQueryKey() ? header.get(archName + ".attention.head_count_kv")
                .map(v -> (int) v.asLong()).orElse(heads) : 0;
        for (TensorSpec s : gguf.tensors()) {
            String hf = TensorNames.huggingFace(s.name()).orElseThrow(() -> new GgufException(path,
                    GgufError.UNMAPPED_TO_HF, s.name(), "no Hugging Face name for it in the " + archName
                    + " mapping"));
            names.put(hf, s.name());
            byHf.put(hf, new TensorSpec(hf, s.dtype(), s.shape()));
            if (arch.permutesQueryKey() && TensorNames.isQueryOrKey(s.name())) {
                perms.put(hf, new RotaryPermutation(s.shape().dim(0), TensorNames.isKey(s.name()) ? kvHeads : heads));
            }
        }
        this.toGguf = Map.copyOf(names);
        this.specs = byHf;
        this.permuted = Map.copyOf(perms);
    }

    private static int headCount(GgufHeader header, String arch, String key, Path path) {
        return header.get(arch + "." + key).map(v -> (int) v.asLong()).orElseThrow(() -> new GgufException(path,
                GgufError.UNMAPPED_TO_HF, "no " + arch + "." + key + ", which undoing the q/k row order needs"));
    }

    /** Opens {@code path} (a {@code .gguf} file) under Hugging Face names. */
    public static GgufAsHuggingFace open(Path path) {
        GgufHeader header;
        try (GgufFile f = GgufFile.open(path)) {
            header = f.header();
        }
        return of(ModelSource.open(path), header);
    }

    /**
     * A view of {@code gguf} (opened by {@link ModelSource#open} from a {@code .gguf} file, GGUF names), which the
     * view then owns.
     */
    public static GgufAsHuggingFace of(ModelSource gguf, GgufHeader header) {
        try {
            return new GgufAsHuggingFace(gguf, header);
        } catch (RuntimeException e) {
            gguf.close();
            throw e;
        }
    }

    @Override
    public Path path() {
        return gguf.path();
    }

    @Override
    public List<TensorSpec> tensors() {
        return specs.values().stream().sorted(Comparator.comparing(TensorSpec::name, NaturalOrder.INSTANCE)).toList();
    }

    @Override
    public Optional<TensorSpec> spec(String name) {
        return Optional.ofNullable(specs.get(name));
    }

    @Override
    public Tensor tensor(String name) {
        return tensor(name, Arena.ofAuto());
    }

    @Override
    public Tensor tensor(String name, Arena arena) {
        TensorSpec spec = specs.get(name);
        if (spec == null) {
            throw new ModelFormatException(path(), "no tensor \"" + name + "\" (read under Hugging Face names)");
        }
        Tensor t = gguf.tensor(toGguf.get(name), arena);
        RotaryPermutation perm = permuted.get(name);
        if (perm == null) {
            return new Tensor(spec, t.data());
        }
        long rows = spec.shape().dim(0);
        long rowBytes = spec.byteSize() / rows;
        MemorySegment out = arena.allocate(spec.byteSize(), 64);
        for (long r = 0; r < rows; r++) {
            // GGUF row r holds Hugging Face row sourceRow(r)
            MemorySegment.copy(t.data(), r * rowBytes, out, perm.sourceRow(r) * rowBytes, rowBytes);
        }
        return new Tensor(spec, out);
    }

    @Override
    public Map<String, String> metadata() {
        return gguf.metadata();
    }

    @Override
    public Optional<ModelConfig> config() {
        return gguf.config();
    }

    @Override
    public List<Path> inputs() {
        return gguf.inputs();
    }

    @Override
    public List<String> dequantized() {
        Map<String, String> back = new LinkedHashMap<>();
        toGguf.forEach((hf, g) -> back.put(g, hf));
        return gguf.dequantized().stream().map(back::get).sorted(NaturalOrder.INSTANCE).toList();
    }

    @Override
    public List<Path> files() {
        return gguf.files();
    }

    @Override
    public void close() {
        gguf.close();
    }
}
