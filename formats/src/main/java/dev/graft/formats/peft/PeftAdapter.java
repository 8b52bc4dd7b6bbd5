package dev.graft.formats.peft;

import dev.graft.formats.safetensors.SafetensorsFile;
import dev.graft.formats.safetensors.TensorInfo;
import dev.graft.formats.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A PEFT LoRA adapter folder ({@code adapter_config.json} + {@code adapter_model.safetensors}), opened for reading.
 *
 * <p>At open, every LoRA factor is paired with its partner and checked: both present, 2-D, ranks agreeing with each
 * other and with the config's rank for that module. Tensors that are not LoRA factors (saved biases,
 * {@code modules_to_save}, DoRA magnitude vectors) are listed in {@link #otherTensors()}.
 *
 * <pre>{@code
 * try (PeftAdapter adapter = PeftAdapter.open(Path.of("my-lora"))) {
 *     for (LoraModule m : adapter.modules()) {
 *         System.out.println(m.module() + " r=" + m.rank() + " scaling=" + m.scaling());
 *     }
 * }
 * }</pre>
 */
public final class PeftAdapter implements AutoCloseable {
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";

    private final Path dir;
    private final AdapterConfig config;
    private final SafetensorsFile weights;
    private final List<LoraModule> modules;
    private final List<String> others;

    private PeftAdapter(Path dir, AdapterConfig config, SafetensorsFile weights, List<LoraModule> modules,
                        List<String> others) {
        this.dir = dir;
        this.config = config;
        this.weights = weights;
        this.modules = List.copyOf(modules);
        this.others = List.copyOf(others);
    }

    /** True when the folder looks like a PEFT adapter (has {@code adapter_config.json}). */
    public static boolean isAdapterFolder(Path dir) {
        return Files.isRegularFile(dir.resolve(AdapterConfig.FILE_NAME));
    }

    /**
     * Opens and checks an adapter folder.
     *
     * @throws AdapterFormatException when files are missing or LoRA factors do not pair up
     */
    public static PeftAdapter open(Path dir) {
        if (!Files.exists(dir)) {
            throw new AdapterFormatException(dir, "no such folder");
        }
        Path configFile = dir.resolve(AdapterConfig.FILE_NAME);
        if (!Files.isRegularFile(configFile)) {
            throw new AdapterFormatException(dir, "not a PEFT adapter folder: no " + AdapterConfig.FILE_NAME);
        }
        AdapterConfig config = AdapterConfig.read(configFile);
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(weightsFile)) {
            String hint = Files.isRegularFile(dir.resolve("adapter_model.bin"))
                    ? " (only adapter_model.bin is present; Graft reads safetensors only — re-save with safe_serialization=True)"
                    : "";
            throw new AdapterFormatException(dir, "no " + WEIGHTS_FILE + hint);
        }
        SafetensorsFile weights = SafetensorsFile.open(weightsFile);
        try {
            Map<String, Tensor[]> pairs = new TreeMap<>();
            Map<String, Boolean> embedding = new TreeMap<>();
            List<String> others = new ArrayList<>();
            for (TensorInfo t : weights.tensors()) {
                var parsed = LoraKeys.parse(t.name());
                if (parsed.isEmpty()) {
                    others.add(t.name());
                    continue;
                }
                Tensor[] pair = pairs.computeIfAbsent(parsed.get().module(), k -> new Tensor[2]);
                pair[parsed.get().factor().ordinal()] = weights.view(t);
                embedding.put(parsed.get().module(), parsed.get().embedding());
            }
            List<LoraModule> modules = new ArrayList<>();
            for (Map.Entry<String, Tensor[]> e : pairs.entrySet()) {
                modules.add(checkPair(weightsFile, config, e.getKey(), e.getValue(), embedding.get(e.getKey())));
            }
            return new PeftAdapter(dir, config, weights, modules, others);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    private static LoraModule checkPair(Path file, AdapterConfig config, String module, Tensor[] pair, boolean embedding) {
        Tensor a = pair[0];
        Tensor b = pair[1];
        if (a == null || b == null) {
            Tensor present = a == null ? b : a;
            throw new AdapterFormatException(file, "tensor \"" + present.name() + "\" has no "
                    + (a == null ? "lora_A" : "lora_B") + " partner");
        }
        if (a.shape().rank() != 2 || b.shape().rank() != 2) {
            throw new AdapterFormatException(file, "LoRA factors of \"" + module + "\" must be 2-D, got "
                    + a.shape() + " and " + b.shape());
        }
        long r = a.shape().dim(0);
        if (b.shape().dim(1) != r) {
            throw new AdapterFormatException(file, "LoRA factors of \"" + module + "\" disagree on the rank: lora_A is "
                    + a.shape() + ", lora_B is " + b.shape());
        }
        int expected = config.rankFor(module);
        if (r != expected) {
            throw new AdapterFormatException(file, "tensor \"" + a.name() + "\" has rank " + r
                    + " but adapter_config.json gives this module r=" + expected);
        }
        return new LoraModule(module, a, b, (int) r, config.scalingFor(module), embedding);
    }

    public Path path() {
        return dir;
    }

    public AdapterConfig config() {
        return config;
    }

    /** The LoRA modules, sorted by module path. */
    public List<LoraModule> modules() {
        return modules;
    }

    /** Names of tensors that are not LoRA factors. */
    public List<String> otherTensors() {
        return others;
    }

    /** The weights file, for raw access to every tensor. */
    public SafetensorsFile weights() {
        return weights;
    }

    @Override
    public void close() {
        weights.close();
    }
}
