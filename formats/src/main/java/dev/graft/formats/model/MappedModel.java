package dev.graft.formats.model;

import dev.graft.formats.io.OpenInputs;
import dev.graft.formats.safetensors.SafetensorsFile;
import dev.graft.formats.safetensors.TensorInfo;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A model whose tensors live in one or more open safetensors files (a single file and a sharded set alike). */
final class MappedModel implements ModelSource {
    private record Location(SafetensorsFile file, TensorInfo info) {
    }

    private final Path path;
    private final List<SafetensorsFile> files;
    private final Map<String, Location> byName;
    private final List<TensorSpec> specs;
    private final ModelConfig config;
    /** A model folder is an input as a whole: no output may go inside it. */
    private final OpenInputs.Registration folder;

    /**
     * @param tensors for each tensor name, the file it is read from (all files must be in {@code files})
     */
    MappedModel(Path path, List<SafetensorsFile> files, Map<String, SafetensorsFile> tensors, ModelConfig config) {
        this.path = path;
        this.folder = Files.isDirectory(path) ? OpenInputs.register(path) : null;
        this.files = List.copyOf(files);
        this.config = config;
        Map<String, Location> map = new TreeMap<>();
        for (Map.Entry<String, SafetensorsFile> e : tensors.entrySet()) {
            TensorInfo info = e.getValue().info(e.getKey()).orElseThrow();
            map.put(e.getKey(), new Location(e.getValue(), info));
        }
        this.byName = map;
        List<TensorSpec> s = new ArrayList<>();
        for (Location l : map.values()) {
            s.add(l.info.spec());
        }
        s.sort(Comparator.comparing(TensorSpec::name));
        this.specs = List.copyOf(s);
    }

    static MappedModel ofFile(Path path, SafetensorsFile file, ModelConfig config) {
        Map<String, SafetensorsFile> all = new TreeMap<>();
        for (TensorInfo t : file.tensors()) {
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
        return l == null ? Optional.empty() : Optional.of(l.info.spec());
    }

    @Override
    public Tensor tensor(String name) {
        Location l = locate(name);
        return l.file.view(l.info);
    }

    @Override
    public Tensor tensor(String name, java.lang.foreign.Arena arena) {
        Location l = locate(name);
        return l.file.map(l.info, arena);
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
    public List<Path> files() {
        return files.stream().map(SafetensorsFile::path).toList();
    }

    @Override
    public void close() {
        for (SafetensorsFile f : files) {
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
