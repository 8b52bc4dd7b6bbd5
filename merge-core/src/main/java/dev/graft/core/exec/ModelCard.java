package dev.graft.core.exec;

import dev.graft.core.plan.Plan;
import dev.graft.core.plan.PlannedModel;

/**
 * The {@code README.md} of a merged model folder: Hugging Face front matter, the method with its citation, the
 * models merged and the recipe, so that anyone holding the folder can see and repeat how it was made.
 */
final class ModelCard {
    private ModelCard() {
    }

    static String render(String title, Plan plan) {
        StringBuilder sb = new StringBuilder();
        sb.append("---\nbase_model:\n");
        for (PlannedModel m : plan.models()) {
            sb.append("- ").append(yamlScalar(m.label())).append('\n');
        }
        sb.append("library_name: transformers\ntags:\n- merge\n- graft\n---\n\n");
        sb.append("# ").append(title).append("\n\n");
        sb.append("This model was merged with Graft using the **").append(plan.method().name()).append("** method: ")
                .append(plan.method().summary()).append(" (").append(plan.method().citation()).append(").\n\n");
        sb.append("## Models merged\n\n");
        for (int i = 0; i < plan.models().size(); i++) {
            sb.append("- `").append(plan.models().get(i).label()).append('`')
                    .append(i == plan.baseModel() ? " (base model)" : "").append('\n');
        }
        sb.append("\n## Configuration\n\nThe recipe that produced this model:\n\n```yaml\n")
                .append(plan.recipeText().strip()).append("\n```\n");
        return sb.toString();
    }

    private static String yamlScalar(String s) {
        return s.matches("[A-Za-z0-9_./@+-]+") ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
