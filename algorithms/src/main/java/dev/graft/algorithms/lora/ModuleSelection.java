package dev.graft.algorithms.lora;

import dev.graft.formats.lora.AdapterContents;
import dev.graft.formats.lora.FactorLayout;
import dev.graft.formats.model.Architecture;
import dev.graft.formats.model.ModelFormatException;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides what each tensor of a base/tuned pair becomes in an extracted adapter.
 *
 * <ul>
 *   <li>Every 2-D {@code .weight} inside a transformer block ({@link Architecture#blockIndex}) is a LoRA target,
 *       or, with {@link #targetModules}, those whose module path equals a listed name or ends in
 *       {@code .name} (PEFT's matching of a {@code target_modules} list). GPT-2 checkpoints store their
 *       {@code Conv1D} projections {@code [in, out]}; they are factored transposed and the adapter gets
 *       {@code fan_in_fan_out = true}.</li>
 *   <li>2-D tensors outside the blocks (embeddings, {@code lm_head}) are saved whole in {@code modules_to_save}
 *       when changed, factored with {@link #embedLora} (embeddings as {@code lora_embedding_A/B}), or dropped with
 *       {@link #skipEmbeddings}.</li>
 *   <li>Other changed tensors (norms, biases) cannot be factored. Biases of LoRA targets go into
 *       {@code lora_B.bias} ({@code lora_bias = true}) when every target has a bias to add to; other changed norms
 *       and biases are saved whole in {@code modules_to_save}. {@link #skipUndecomposable} drops them all.</li>
 *   <li>Tensors equal in both models need nothing; changed 2-D tensors that are not targets are dropped with a
 *       warning.</li>
 * </ul>
 */
public final class ModuleSelection {
    private final List<String> targetModules;
    private final boolean embedLora;
    private final boolean skipUndecomposable;
    private final boolean skipEmbeddings;

    private ModuleSelection(List<String> targetModules, boolean embedLora, boolean skipUndecomposable,
                            boolean skipEmbeddings) {
        this.targetModules = List.copyOf(targetModules);
        this.embedLora = embedLora;
        this.skipUndecomposable = skipUndecomposable;
        this.skipEmbeddings = skipEmbeddings;
    }

    /** Every 2-D block weight; embeddings and head saved whole; norms and biases kept. */
    public static ModuleSelection defaults() {
        return new ModuleSelection(List.of(), false, false, false);
    }

    /** Only modules whose path is one of {@code names} or ends in {@code "." + name} (empty: the default). */
    public ModuleSelection targetModules(Collection<String> names) {
        return new ModuleSelection(List.copyOf(names), embedLora, skipUndecomposable, skipEmbeddings);
    }

    /** Factor embeddings and the output head too, instead of saving them whole. */
    public ModuleSelection embedLora(boolean value) {
        return new ModuleSelection(targetModules, value, skipUndecomposable, skipEmbeddings);
    }

    /** Drop changed norms and biases instead of saving them. */
    public ModuleSelection skipUndecomposable(boolean value) {
        return new ModuleSelection(targetModules, embedLora, value, skipEmbeddings);
    }

    /**
     * Drop changed embeddings and output head instead of saving them whole (unless factored by {@link #embedLora}
     * or named in {@link #targetModules}): for serving stacks that load LoRA factors only.
     */
    public ModuleSelection skipEmbeddings(boolean value) {
        return new ModuleSelection(targetModules, embedLora, skipUndecomposable, value);
    }

    public boolean skipEmbeddings() {
        return skipEmbeddings;
    }

    public List<String> targetModules() {
        return targetModules;
    }

    public boolean embedLora() {
        return embedLora;
    }

    public boolean skipUndecomposable() {
        return skipUndecomposable;
    }

    /**
     * What an adapter extracted from {@code base} to {@code tuned} holds.
     *
     * @param targets      the matrices to factor, in tensor-name order
     * @param biases       bias tensors of targets written as {@code lora_B.bias} (all targets' biases when
     *                     {@link #loraBias}, else none)
     * @param savedTensors changed tensors stored whole, under their own names
     * @param savedModules the modules of {@code savedTensors} ({@code modules_to_save})
     * @param fanInFanOut  whether the targets are {@code Conv1D} ({@code fan_in_fan_out})
     * @param loraBias     whether {@code lora_B} carries the targets' bias deltas
     * @param warnings     what was dropped and why
     */
    public record Selection(List<LoraTarget> targets, List<String> biases, List<String> savedTensors,
                            List<String> savedModules, boolean fanInFanOut, boolean loraBias, List<String> warnings) {
        public Selection {
            targets = List.copyOf(targets);
            biases = List.copyOf(biases);
            savedTensors = List.copyOf(savedTensors);
            savedModules = List.copyOf(savedModules);
            warnings = List.copyOf(warnings);
        }

        /** The {@code target_modules} of the adapter config: {@link #targetNames} of the targets. */
        public List<String> targetModuleNames() {
            return targetNames(targets.stream().map(LoraTarget::module).toList());
        }
    }

    /**
     * The {@code target_modules} list of an adapter of these modules: the last path segment of each, sorted
     * ({@code model.layers.0.self_attn.q_proj} → {@code q_proj}), as PEFT users write it.
     */
    public static List<String> targetNames(Collection<String> modules) {
        Set<String> names = new TreeSet<>();
        for (String m : modules) {
            names.add(lastSegment(m));
        }
        return List.copyOf(names);
    }

    /**
     * Classifies every tensor of the pair.
     *
     * @throws ModelFormatException when the models do not have the same tensors with the same shapes
     */
    public Selection select(ModelSource base, ModelSource tuned) {
        checkSameTensors(base, tuned);
        boolean conv1d = "gpt2".equals(Architecture.of(base).family());
        List<LoraTarget> targets = new ArrayList<>();
        List<String> biasCandidates = new ArrayList<>();
        List<String> saved = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> droppedMatrices = new ArrayList<>();
        int droppedUndecomposable = 0;
        List<String> droppedEmbeddings = new ArrayList<>();
        for (TensorSpec spec : tuned.tensors()) {
            String name = spec.name();
            if (!spec.dtype().isFloatingPoint()) {
                continue;
            }
            String module = moduleOf(name);
            boolean inBlock = Architecture.blockIndex(name).isPresent();
            boolean matrix = spec.shape().rank() == 2 && name.endsWith(".weight");
            if (matrix && inBlock) {
                if (isTarget(module)) {
                    targets.add(target(module, spec, conv1d ? FactorLayout.TRANSPOSED : FactorLayout.LINEAR, false));
                } else if (changed(base, tuned, name)) {
                    droppedMatrices.add(name);
                }
                continue;
            }
            if (matrix) {
                boolean head = isHead(module);
                if (embedLora || (!targetModules.isEmpty() && isTarget(module))) {
                    targets.add(head ? target(module, spec, FactorLayout.LINEAR, false)
                            : target(module, spec, FactorLayout.TRANSPOSED, true));
                } else if (changed(base, tuned, name)) {
                    if (skipEmbeddings) {
                        droppedEmbeddings.add(name);
                    } else {
                        saved.add(name);
                    }
                }
                continue;
            }
            if (name.endsWith(".bias") && inBlock) {
                biasCandidates.add(name);
                continue;
            }
            if (changed(base, tuned, name)) {
                if (skipUndecomposable) {
                    droppedUndecomposable++;
                } else {
                    saved.add(name);
                }
            }
        }

        Set<String> targetModules = new LinkedHashSet<>();
        targets.forEach(t -> targetModules.add(t.module()));
        List<String> targetBiases = new ArrayList<>();
        for (String b : biasCandidates) {
            if (targetModules.contains(moduleOf(b))) {
                targetBiases.add(b);
            } else if (changed(base, tuned, b)) {
                if (skipUndecomposable) {
                    droppedUndecomposable++;
                } else {
                    saved.add(b);
                }
            }
        }
        List<String> changedTargetBiases = targetBiases.stream().filter(b -> changed(base, tuned, b)).toList();
        boolean loraBias = false;
        if (!changedTargetBiases.isEmpty()) {
            if (skipUndecomposable) {
                droppedUndecomposable += changedTargetBiases.size();
            } else if (targetBiases.size() == targetModules.size()) {
                loraBias = true;
            } else {
                warnings.add(changedTargetBiases.size() + " changed biases of LoRA targets dropped (first: "
                        + changedTargetBiases.getFirst() + "): PEFT's lora_bias adds a bias to every target, and "
                        + (targetModules.size() - targetBiases.size()) + " targets have none in the base model");
            }
        }
        if (!droppedMatrices.isEmpty()) {
            warnings.add(droppedMatrices.size() + " changed matrices are not LoRA targets and were dropped (first: "
                    + droppedMatrices.getFirst() + "); add them with --target-modules");
        }
        if (!droppedEmbeddings.isEmpty()) {
            warnings.add(droppedEmbeddings.size() + " changed embedding and head matrices dropped (" + String.join(", ",
                    droppedEmbeddings) + "; --skip-embeddings)");
        }
        if (droppedUndecomposable > 0) {
            warnings.add(droppedUndecomposable + " changed norm and bias tensors dropped (--skip-undecomposable)");
        }
        Set<String> savedModules = new TreeSet<>();
        saved.forEach(s -> savedModules.add(moduleOf(s)));
        return new Selection(targets, loraBias ? targetBiases : List.of(), saved, List.copyOf(savedModules),
                conv1d && targets.stream().anyMatch(t -> !t.embedding() && t.layout() == FactorLayout.TRANSPOSED),
                loraBias, warnings);
    }

    private boolean isTarget(String module) {
        if (targetModules.isEmpty()) {
            return true;
        }
        for (String t : targetModules) {
            if (module.equals(t) || module.endsWith("." + t)) {
                return true;
            }
        }
        return false;
    }

    private static LoraTarget target(String module, TensorSpec spec, FactorLayout layout, boolean embedding) {
        int rows = Math.toIntExact(spec.shape().dim(0));
        int cols = Math.toIntExact(spec.shape().dim(1));
        return layout == FactorLayout.LINEAR
                ? new LoraTarget(module, spec.name(), layout, embedding, rows, cols)
                : new LoraTarget(module, spec.name(), layout, embedding, cols, rows);
    }

    /**
     * Whether a module is an output head ({@code lm_head}, {@code embed_out}): stored like {@code nn.Linear}, unlike
     * the embeddings beside them; the same rule that applying an adapter reads its layout by.
     */
    static boolean isHead(String module) {
        return AdapterContents.isOutputHead(module);
    }

    /** {@code model.layers.0.mlp.up_proj.weight} → {@code model.layers.0.mlp.up_proj}. */
    static String moduleOf(String tensorName) {
        int dot = tensorName.lastIndexOf('.');
        return dot < 0 ? tensorName : tensorName.substring(0, dot);
    }

    private static String lastSegment(String module) {
        return module.substring(module.lastIndexOf('.') + 1);
    }

    private static void checkSameTensors(ModelSource base, ModelSource tuned) {
        for (TensorSpec t : tuned.tensors()) {
            TensorSpec b = base.spec(t.name()).orElseThrow(() -> new ModelFormatException(tuned.path(),
                    "tensor \"" + t.name() + "\" is not in the base model " + base.path()));
            if (!b.shape().equals(t.shape())) {
                throw new ModelFormatException(tuned.path(), "tensor \"" + t.name() + "\" is " + t.shape()
                        + " here but " + b.shape() + " in the base model " + base.path());
            }
        }
        for (TensorSpec b : base.tensors()) {
            if (!tuned.contains(b.name())) {
                throw new ModelFormatException(tuned.path(), "has no tensor \"" + b.name()
                        + "\", which the base model " + base.path() + " has");
            }
        }
    }

    /** Whether a tensor differs between the models: bytes compared when the dtypes agree, values otherwise. */
    static boolean changed(ModelSource base, ModelSource tuned, String name) {
        Tensor b = base.tensor(name);
        Tensor t = tuned.tensor(name);
        if (b.dtype() == t.dtype()) {
            return MemorySegment.mismatch(b.data(), 0, b.data().byteSize(), t.data(), 0, t.data().byteSize()) >= 0;
        }
        int window = 1 << 16;
        float[] x = new float[window];
        float[] y = new float[window];
        for (long first = 0; first < b.elementCount(); first += window) {
            int n = (int) Math.min(window, b.elementCount() - first);
            b.readFloats(first, x, 0, n);
            t.readFloats(first, y, 0, n);
            for (int i = 0; i < n; i++) {
                if (Float.compare(x[i], y[i]) != 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
