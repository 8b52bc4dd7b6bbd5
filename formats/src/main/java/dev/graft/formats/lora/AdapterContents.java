package dev.graft.formats.lora;

import dev.graft.formats.peft.AdapterConfig;
import dev.graft.formats.peft.AdapterFormatException;
import dev.graft.formats.peft.LoraKeys;
import dev.graft.formats.peft.LoraModule;
import dev.graft.formats.peft.PeftAdapter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An opened PEFT adapter sorted into what it changes in a model: LoRA modules, {@code lora_B} biases, DoRA magnitude
 * vectors and tensors of {@code modules_to_save} modules. Refuses what it would otherwise get silently wrong:
 * tensors it does not recognise, magnitudes without {@code use_dora} or a DoRA module without its magnitude.
 */
public final class AdapterContents implements AutoCloseable {
    private static final String BIAS = ".lora_B.bias";
    private static final String MAGNITUDE = LoraKeys.doraMagnitude("").substring(LoraKeys.PREFIX.length());
    /** Output heads are {@code nn.Linear}, for which PEFT turns {@code fan_in_fan_out} off. */
    private static final Set<String> HEADS = Set.of("lm_head", "embed_out");

    private final PeftAdapter adapter;
    private final Map<String, LoraModule> modules = new LinkedHashMap<>();
    private final Map<String, Tensor> biases = new LinkedHashMap<>();
    private final Map<String, Tensor> magnitudes = new LinkedHashMap<>();
    private final Map<String, Tensor> saved = new LinkedHashMap<>();

    private AdapterContents(PeftAdapter adapter) {
        this.adapter = adapter;
    }

    /**
     * Opens and sorts an adapter folder.
     *
     * @throws AdapterFormatException for tensors it does not recognise and for magnitude vectors that do not match
     *                                {@code use_dora} or their module
     */
    public static AdapterContents open(Path dir) {
        PeftAdapter adapter = PeftAdapter.open(dir);
        try {
            AdapterContents c = new AdapterContents(adapter);
            adapter.modules().forEach(m -> c.modules.put(m.module(), m));
            for (String key : adapter.otherTensors()) {
                c.sort(key, adapter.weights().tensor(key));
            }
            if (adapter.config().useDora()) {
                for (LoraModule m : c.modules.values()) {
                    if (!c.magnitudes.containsKey(m.module())) {
                        throw new AdapterFormatException(c.weightsFile(), "module \"" + m.module() + "\" has LoRA "
                                + "factors but no " + LoraKeys.doraMagnitude(m.module()) + ", which use_dora: "
                                + "true in " + AdapterConfig.FILE_NAME + " requires");
                    }
                }
            }
            return c;
        } catch (RuntimeException e) {
            adapter.close();
            throw e;
        }
    }

    private void sort(String key, Tensor t) {
        String name = key.startsWith(LoraKeys.PREFIX) ? key.substring(LoraKeys.PREFIX.length()) : key;
        if (name.endsWith(BIAS)) {
            biases.put(partnerOf(key, name.substring(0, name.length() - BIAS.length()), "a lora_B bias"), t);
        } else if (name.endsWith(MAGNITUDE)) {
            String module = partnerOf(key, name.substring(0, name.length() - MAGNITUDE.length()), "a DoRA magnitude");
            if (!adapter.config().useDora()) {
                throw new AdapterFormatException(weightsFile(), "tensor \"" + key + "\" is a DoRA magnitude but "
                        + AdapterConfig.FILE_NAME + " does not set use_dora: true");
            }
            long out = modules.get(module).b().shape().dim(0);
            if (!t.shape().equals(Shape.of(out))) {
                throw new AdapterFormatException(weightsFile(), "DoRA magnitude \"" + key + "\" is " + t.shape()
                        + " but module \"" + module + "\" has " + out + " outputs (lora_B is "
                        + modules.get(module).b().shape() + ")");
            }
            magnitudes.put(module, t);
        } else if (key.startsWith(LoraKeys.PREFIX) && !key.contains(".lora_")) {
            saved.put(name.replace(".modules_to_save.default.", "."), t);
        } else {
            throw new AdapterFormatException(weightsFile(), "tensor \"" + key + "\" is neither a LoRA factor, a "
                    + "lora_B bias, a DoRA magnitude nor a modules_to_save weight; Graft does not know how to apply it");
        }
    }

    /** The module a bias or magnitude belongs to, which must have LoRA factors. */
    private String partnerOf(String key, String module, String what) {
        if (!modules.containsKey(module)) {
            throw new AdapterFormatException(weightsFile(), "tensor \"" + key + "\" is " + what + " of a module "
                    + "without LoRA factors");
        }
        return module;
    }

    /** Whether a module is an output head ({@code lm_head}, {@code embed_out}), an {@code nn.Linear} in PEFT's eyes. */
    public static boolean isOutputHead(String module) {
        return HEADS.contains(module.substring(module.lastIndexOf('.') + 1));
    }

    public PeftAdapter adapter() {
        return adapter;
    }

    /** The adapter folder. */
    public Path path() {
        return adapter.path();
    }

    /** The weights file, for error messages. */
    public Path weightsFile() {
        return adapter.path().resolve(PeftAdapter.WEIGHTS_FILE);
    }

    /** LoRA modules by module path. */
    public Map<String, LoraModule> modules() {
        return Collections.unmodifiableMap(modules);
    }

    /** {@code lora_B} biases by module path. */
    public Map<String, Tensor> biases() {
        return Collections.unmodifiableMap(biases);
    }

    /** DoRA magnitude vectors ({@code [out]}) by module path; empty unless {@code use_dora}. */
    public Map<String, Tensor> magnitudes() {
        return Collections.unmodifiableMap(magnitudes);
    }

    /** Whole tensors of {@code modules_to_save} modules, by the base model's tensor name. */
    public Map<String, Tensor> saved() {
        return Collections.unmodifiableMap(saved);
    }

    /**
     * How a module's stored weight relates to {@code B·A}: transposed for embeddings, and with
     * {@code fan_in_fan_out} for every module but an output head.
     */
    public FactorLayout layout(LoraModule m) {
        boolean conv1d = adapter.config().fanInFanOut() && !isOutputHead(m.module());
        return m.embedding() || conv1d ? FactorLayout.TRANSPOSED : FactorLayout.LINEAR;
    }

    @Override
    public void close() {
        adapter.close();
    }
}
