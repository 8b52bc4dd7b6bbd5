package dev.graft.algorithms.lora;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.json.PythonJson;

import java.nio.file.Path;
import java.util.List;

/**
 * What an extraction wrote.
 *
 * @param output       the adapter folder
 * @param base         the base model, absolute; {@code graft_extraction.json} records it as {@code base_model_path}
 *                     so that {@link LoraComposition} finds it for {@code modules_to_save} weights even when
 *                     {@code base_model_name_or_path} is a Hub id
 * @param modules      every LoRA target, in module order (pruned ones with rank 0)
 * @param savedTensors tensors stored whole ({@code modules_to_save})
 * @param biases       {@code lora_B} biases written
 * @param warnings     what was dropped and why
 * @param adapterBytes bytes of {@code adapter_model.safetensors} tensor data
 * @param seconds      wall time
 */
public record ExtractionReport(Path output, Path base, List<ModuleReport> modules, List<String> savedTensors,
                               List<String> biases, List<String> warnings, long adapterBytes, double seconds) {
    /** Name of the per-module report written into the adapter folder (PEFT ignores it). */
    public static final String FILE_NAME = "graft_extraction.json";
    /** The field of {@link #FILE_NAME} holding {@link #base}. */
    public static final String BASE_FIELD = "base_model_path";

    public ExtractionReport {
        base = base.toAbsolutePath().normalize();
        modules = List.copyOf(modules);
        savedTensors = List.copyOf(savedTensors);
        biases = List.copyOf(biases);
        warnings = List.copyOf(warnings);
    }

    /** Modules written as factors. */
    public List<ModuleReport> kept() {
        return modules.stream().filter(m -> !m.pruned()).toList();
    }

    /**
     * The energy kept over all written modules together: {@code Σ kept σ² / Σ ‖ΔW‖²}.
     */
    public double overallEnergy() {
        double kept = 0;
        double total = 0;
        for (ModuleReport m : kept()) {
            double d2 = m.deltaNorm() * m.deltaNorm();
            kept += m.energy() * d2;
            total += d2;
        }
        return total == 0 ? 1 : kept / total;
    }

    /** The report as JSON, one object per module. */
    public String toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put(BASE_FIELD, base.toString());
        root.put("overall_energy", overallEnergy());
        ArrayNode mods = root.putArray("modules");
        for (ModuleReport m : modules) {
            ObjectNode o = mods.addObject();
            o.put("module", m.module());
            o.putArray("shape").add(m.out()).add(m.in());
            o.put("rank", m.rank());
            o.put("energy", m.energy());
            o.put("relative_error", m.relativeError());
            o.put("delta_norm", m.deltaNorm());
            o.put("relative_delta", m.relativeDelta());
            o.put("svd", m.exact() ? "exact" : "randomized");
        }
        ArrayNode saved = root.putArray("modules_to_save_tensors");
        savedTensors.forEach(saved::add);
        ArrayNode b = root.putArray("lora_bias_tensors");
        biases.forEach(b::add);
        ArrayNode w = root.putArray("warnings");
        warnings.forEach(w::add);
        return PythonJson.dumps(root, 2, false) + "\n";
    }
}
