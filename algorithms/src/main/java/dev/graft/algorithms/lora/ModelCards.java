package dev.graft.algorithms.lora;

import java.nio.file.Path;
import java.util.List;

/** The {@code README.md} of models and adapters Graft makes from adapters: what went in, so it can be repeated. */
final class ModelCards {
    private ModelCards() {
    }

    static String applied(String title, Path base, List<Path> adapters, List<Double> weights) {
        StringBuilder sb = new StringBuilder();
        sb.append("---\nbase_model:\n- ").append(yamlScalar(base.toString())).append('\n')
                .append("library_name: transformers\ntags:\n- lora\n- graft\n---\n\n# ").append(title).append("\n\n")
                .append("This model is `").append(base).append("` with LoRA adapters merged in by Graft "
                        + "(`W + Σ wᵢ·sᵢ·Bᵢ·Aᵢ`, float32, rounded once to the base dtype).\n\n## Adapters\n\n")
                .append("| adapter | weight |\n|---|---|\n");
        for (int i = 0; i < adapters.size(); i++) {
            sb.append("| `").append(adapters.get(i)).append("` | ").append(weights.get(i)).append(" |\n");
        }
        return sb.toString();
    }

    static String yamlScalar(String s) {
        return s.matches("[A-Za-z0-9_./@+-]+") ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
