package dev.graft.formats.model;

import dev.graft.formats.io.OpenInputs;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorFile;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A model whose tensors live in one or more open weights files (a single file and a sharded set alike, safetensors
 * or PyTorch checkpoints).
 */
final class MappedModel implements ModelSource {
    private record Location(TensorFile file, TensorSpec spec) {
    }

    private final Path path;
    private final List<TensorFile> files;
    private final Map<String, Location> byName;
    private final List<TensorSpec> specs;
    private final ModelConfig config;
    /** A model folder is an input as a whole: no output may go inside it. */
    private final OpenInputs.Registration folder;

    /**
     * @param tensors for each tensor name, the file it is read from (all files must be in {@code files})
     */
    MappedModel(Path path, List<? extends TensorFile> files, Map<String, ? extends TensorFile> tensors,
                ModelConfig config) {
        this.path = path;
        this.folder = Files.isDirectory(path) ? OpenInputs.register(path) : null;
        this.files = List.copyOf(files);
        this.config = config;
        Map<String, Location> map = new TreeMap<>();
        for (Map.Entry<String, ? extends TensorFile> e : tensors.entrySet()) {
            TensorSpec spec = e.getValue().spec(e.getKey()).orElseThrow();
            map.put(e.getKey(), new Location(e.getValue(), spec));
        }
        this.byName = map;
        List<TensorSpec> s = new ArrayList<>();
        for (Location l : map.values()) {
            s.add(l.spec);
        }
        s.sort(Comparator.comparing(TensorSpec::name));
        this.specs = List.copyOf(s);
    }

    static MappedModel ofFile(Path path, TensorFile file, ModelConfig config) {
        Map<String, TensorFile> all = new TreeMap<>();
        for (TensorSpec t : file.specs()) {
            all.put(t.name(), file);
        }
        return new MappedModel(path, List.of(file), all, config);
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public List<TensorSpec> tensors() {
        return specs;
    }

    @Override
    public Optional<TensorSpec> spec(String name) {
        Location l = byName.get(name);
        return l == null ? Optional.empty() : Optional.of(l.spec);
    }

    @Override
    public Tensor tensor(String name) {
        return locate(name).file.tensor(name);
    }

    @Override
    public Tensor tensor(String name, java.lang.foreign.Arena arena) {
        return locate(name).file.tensor(name, arena);
    }

    private Location locate(String name) {
        Location l = byName.get(name);
        if (l == null) {
            throw new ModelFormatException(path, "no tensor named \"" + name + "\" in this model");
        }
        return l;
    }

    @Override
    public Map<String, String> metadata() {
        return files.isEmpty() ? Map.of() : files.getFirst().metadata();
    }

    @Override
    public Optional<ModelConfig> config() {
        return Optional.ofNullable(config);
    }

    @Override
    public List<String> dequantized() {
        return files.stream().flatMap(f -> f.dequantized().stream()).filter(byName::containsKey).sorted().toList();
    }

    @Override
    public List<Path> files() {
        return files.stream().map(TensorFile::path).toList();
    }

    @Override
    public void close() {
        for (TensorFile f : files) {
            f.close();
        }
        if (folder != null) {
            folder.close();
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
