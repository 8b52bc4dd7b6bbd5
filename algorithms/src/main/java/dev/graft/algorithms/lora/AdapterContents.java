package dev.graft.algorithms.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.formats.peft.AdapterFormatException;
import dev.graft.formats.peft.LoraKeys;
import dev.graft.formats.peft.LoraModule;
import dev.graft.formats.peft.PeftAdapter;
import dev.graft.formats.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An opened PEFT adapter sorted into what Graft applies and combines: LoRA modules, {@code lora_B} biases and
 * tensors of {@code modules_to_save} modules. Refuses what it would otherwise get silently wrong (DoRA, tensors it
 * does not recognise).
 */
final class AdapterContents implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PeftAdapter adapter;
    private final Map<String, LoraModule> modules = new LinkedHashMap<>();
    private final Map<String, Tensor> biases = new LinkedHashMap<>();
    private final Map<String, Tensor> saved = new LinkedHashMap<>();

    private AdapterContents(PeftAdapter adapter) {
        this.adapter = adapter;
    }

    /**
     * Opens and sorts an adapter folder.
     *
     * @throws AdapterFormatException for DoRA adapters and unrecognised tensors
     */
    static AdapterContents open(Path dir) {
        PeftAdapter adapter = PeftAdapter.open(dir);
        try {
            Path file = dir.resolve(PeftAdapter.WEIGHTS_FILE);
            if (adapter.config().useDora()) {
                throw new AdapterFormatException(dir.resolve("adapter_config.json"),
                        "use_dora is true; Graft applies and combines plain LoRA only (DoRA rescales each column "
                                + "by a learned magnitude)");
            }
            AdapterContents c = new AdapterContents(adapter);
            adapter.modules().forEach(m -> c.modules.put(m.module(), m));
            for (String key : adapter.otherTensors()) {
                Tensor t = adapter.weights().tensor(key);
                if (key.endsWith(".lora_B.bias")) {
                    String module = stripPrefix(key).substring(0, stripPrefix(key).length() - ".lora_B.bias".length());
                    if (!c.modules.containsKey(module)) {
                        throw new AdapterFormatException(file, "tensor \"" + key + "\" is a lora_B bias of a module "
                                + "without LoRA factors");
                    }
                    c.biases.put(module, t);
                } else if (key.startsWith(LoraKeys.PREFIX) && !key.contains(".lora_")) {
                    c.saved.put(key.substring(LoraKeys.PREFIX.length()).replace(".modules_to_save.default.", "."), t);
                } else {
                    throw new AdapterFormatException(file, "tensor \"" + key + "\" is neither a LoRA factor, a "
                            + "lora_B bias nor a modules_to_save weight; Graft does not know how to apply it");
                }
            }
            return c;
        } catch (RuntimeException e) {
            adapter.close();
            throw e;
        }
    }

    private static String stripPrefix(String key) {
        return key.startsWith(LoraKeys.PREFIX) ? key.substring(LoraKeys.PREFIX.length()) : key;
    }

    PeftAdapter adapter() {
        return adapter;
    }

    Path path() {
        return adapter.path();
    }

    /** The weights file, for error messages. */
    Path weightsFile() {
        return adapter.path().resolve(PeftAdapter.WEIGHTS_FILE);
    }

    /**
     * The base model this adapter was made from, when it names one on this machine: {@code base_model_path} of
     * Graft's {@code graft_extraction.json}, else {@code base_model_name_or_path} when it is an absolute path.
     * Empty for a Hub id, a relative path (relative to a directory nobody recorded) or nothing. The path need not
     * exist.
     */
    Optional<Path> localBase() {
        Path report = adapter.path().resolve(ExtractionReport.FILE_NAME);
        if (Files.isRegularFile(report)) {
            try {
                JsonNode n = JSON.readTree(Files.readAllBytes(report)).get(ExtractionReport.BASE_FIELD);
                if (n != null && n.isTextual() && Path.of(n.textValue()).isAbsolute()) {
                    return Optional.of(Path.of(n.textValue()));
                }
            } catch (IOException | InvalidPathException e) {
                // only a hint: without it the config's field decides, and failing that the caller asks for --base
            }
        }
        return adapter.config().baseModel().flatMap(AdapterContents::absolutePath);
    }

    private static Optional<Path> absolutePath(String s) {
        try {
            Path p = Path.of(s);
            return p.isAbsolute() ? Optional.of(p) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** LoRA modules by module path. */
    Map<String, LoraModule> modules() {
        return Collections.unmodifiableMap(modules);
    }

    /** {@code lora_B} biases by module path. */
    Map<String, Tensor> biases() {
        return Collections.unmodifiableMap(biases);
    }

    /** Whole tensors of {@code modules_to_save} modules, by the base model's tensor name. */
    Map<String, Tensor> saved() {
        return Collections.unmodifiableMap(saved);
    }

    /**
     * How a module's stored weight relates to {@code B·A}: transposed for embeddings, and with
     * {@code fan_in_fan_out} for every module but an output head (an {@code nn.Linear}, for which PEFT turns the
     * flag off).
     */
    FactorLayout layout(LoraModule m) {
        boolean conv1d = adapter.config().fanInFanOut() && !ModuleSelection.isHead(m.module());
        return m.embedding() || conv1d ? FactorLayout.TRANSPOSED : FactorLayout.LINEAR;
    }

    @Override
    public void close() {
        adapter.close();
    }
}
