package dev.graft.core.inspect;

import dev.graft.formats.tensor.NaturalOrder;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.model.Architecture;
import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.peft.PeftAdapter;
import dev.graft.formats.shard.ShardIndex;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything {@code graft inspect} reports about a checkpoint, read from headers and config only (no tensor data).
 *
 * @param path         the path as given
 * @param kind         a model or a PEFT adapter
 * @param files        the weight files (and {@code config.json} when there is one), by name with their sizes
 * @param tensors      every tensor, in natural name order
 * @param metadata     the safetensors {@code __metadata__}
 * @param architecture detected family and layer count (models only)
 * @param configDtype  the dtype {@code config.json} declares
 * @param adapter      the headline {@code adapter_config.json} fields (adapters only)
 * @param tokenizer    a model folder's tokenizer, when it has tokenizer files
 */
public record Inspection(String path, Kind kind, List<FileEntry> files, List<TensorSpec> tensors, Map<String, String> metadata,
                  Optional<Architecture> architecture, Optional<DType> configDtype, Map<String, JsonNode> adapter,
                  Optional<TokenizerSummary> tokenizer) {

    private static final List<String> ADAPTER_HEADLINE_FIELDS = List.of("r", "lora_alpha", "target_modules");

    /** What the path holds. */
    public enum Kind {
        MODEL("model"), PEFT_ADAPTER("peft_adapter");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The name used in JSON output ({@code model}, {@code peft_adapter}). */
        public String label() {
            return label;
        }
    }

    /** A file and its size on disk. */
    public record FileEntry(String name, long bytes) {
    }

    /** How much of a checkpoint is stored in one dtype. */
    public record DTypeShare(DType dtype, int tensors, long parameters, long bytes) {
    }

    public Inspection {
        files = List.copyOf(files);
        tensors = List.copyOf(tensors);
        metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /**
     * Reads a model (file, index or folder) or a PEFT adapter folder.
     *
     * @throws dev.graft.formats.FormatException when it is neither, or its files are malformed
     */
    public static Inspection of(Path path) {
        Optional<Map<String, JsonNode>> adapter = adapterFields(path);
        Path open = adapter.isPresent() ? path.resolve(PeftAdapter.WEIGHTS_FILE) : path;
        try (ModelSource m = ModelSource.open(open)) {
            List<FileEntry> files = new ArrayList<>();
            for (Path f : m.files()) {
                files.add(new FileEntry(f.getFileName().toString(), size(f)));
            }
            files.sort(Comparator.comparing(FileEntry::name, NaturalOrder.INSTANCE));
            Optional<Path> configFile = configFile(path, m);
            configFile.ifPresent(c -> files.add(new FileEntry(c.getFileName().toString(), size(c))));
            List<TensorSpec> tensors = new ArrayList<>(m.tensors());
            tensors.sort(Comparator.comparing(TensorSpec::name, NaturalOrder.INSTANCE));
            boolean isAdapter = adapter.isPresent();
            return new Inspection(path.toString(), isAdapter ? Kind.PEFT_ADAPTER : Kind.MODEL, files, tensors,
                    new TreeMap<>(m.metadata()),
                    isAdapter ? Optional.empty() : Optional.of(Architecture.of(m)),
                    m.config().flatMap(ModelConfig::dtype),
                    adapter.orElse(Map.of()),
                    isAdapter ? Optional.empty() : TokenizerSummary.of(path,
                            m.config().map(ModelConfig::vocabSize).orElse(java.util.OptionalInt.empty())));
        }
    }

    /**
     * The headline {@code adapter_config.json} fields when {@code path} is a PEFT adapter folder; empty for a model
     * (including a model folder with a leftover adapter config, as merging an adapter in can leave behind).
     * Opening the adapter checks that its LoRA factors pair up.
     */
    private static Optional<Map<String, JsonNode>> adapterFields(Path path) {
        if (!Files.isDirectory(path) || !PeftAdapter.isAdapterFolder(path)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(path.resolve(PeftAdapter.WEIGHTS_FILE))
                && (Files.isRegularFile(path.resolve("model.safetensors"))
                || Files.isRegularFile(path.resolve(ShardIndex.FILE_NAME)))) {
            return Optional.empty();
        }
        try (PeftAdapter adapter = PeftAdapter.open(path)) {
            JsonNode config = adapter.config().json();
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            for (String f : ADAPTER_HEADLINE_FIELDS) {
                if (config.has(f)) {
                    fields.put(f, config.get(f));
                }
            }
            return Optional.of(fields);
        }
    }

    /** Total number of values. */
    public long parameters() {
        return tensors.stream().mapToLong(TensorSpec::elementCount).sum();
    }

    /** Total bytes of tensor data. */
    public long tensorBytes() {
        return tensors.stream().mapToLong(TensorSpec::byteSize).sum();
    }

    /** Tensors, values and bytes per dtype, the largest share first. */
    public List<DTypeShare> byDtype() {
        Map<DType, long[]> acc = new EnumMap<>(DType.class);
        for (TensorSpec t : tensors) {
            long[] a = acc.computeIfAbsent(t.dtype(), d -> new long[3]);
            a[0]++;
            a[1] += t.elementCount();
            a[2] += t.byteSize();
        }
        List<DTypeShare> out = new ArrayList<>();
        acc.forEach((d, a) -> out.add(new DTypeShare(d, (int) a[0], a[1], a[2])));
        out.sort(Comparator.comparingLong(DTypeShare::bytes).reversed());
        return out;
    }

    /** The config file the model was opened with, if any: in the folder, or beside the file. */
    private static Optional<Path> configFile(Path path, ModelSource m) {
        if (m.config().isEmpty()) {
            return Optional.empty();
        }
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        return Optional.of(dir.resolve(ModelConfig.FILE_NAME));
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new FileAccessException(f, "cannot read file size", e);
        }
    }
}
