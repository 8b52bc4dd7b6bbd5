package dev.graft.algorithms;

import dev.graft.core.exec.MergeOptions;
import dev.graft.core.recipe.InputModel;
import dev.graft.core.recipe.Recipe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every shared recipe, run as a user runs it ({@code graft run} from the models folder), reproduces mergekit's
 * output within 1 bf16 ulp, threshold ties of rank cuts excepted.
 */
class RecipeParityTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"linear", "task_arithmetic", "ties", "ties_weighted", "breadcrumbs", "breadcrumbs_ties",
            "model_stock", "slerp", "lines_ta", "lines_ties"})
    void recipeReproducesTheExpectedOutput(String name) {
        Recipe recipe = Recipe.load(ReferenceVectors.root().resolve("recipes").resolve(name + ".yml"));
        Path out = dir.resolve(name + ".safetensors");
        recipe.run(out, MergeOptions.defaults(), ReferenceVectors.root().resolve("models"));
        ReferenceVectors.Comparison c = ReferenceVectors.compare(out, ReferenceVectors.expected(name),
                BoundaryTies.allowed(BoundaryTies.of(cuts(recipe))));
        assertThat(c.elements()).isEqualTo(92_496L);
        assertThat(c.offByMore()).as("first: %s", c.firstBad()).isZero();
    }

    /** The rank cuts a recipe's sparsifier makes per fine-tune (none for methods without one). */
    private static List<BoundaryTies.Cuts> cuts(Recipe recipe) {
        List<BoundaryTies.Cuts> cuts = new ArrayList<>();
        for (InputModel m : recipe.models().orElseThrow()) {
            if (m.model().toString().equals("base")) {
                continue;
            }
            double density = number(m, "density", 1);
            cuts.add(switch (recipe.mergeMethod()) {
                case "ties" -> BoundaryTies.topK(density);
                case "breadcrumbs", "breadcrumbs_ties" -> BoundaryTies.outliers(density, number(m, "gamma", 0.01));
                default -> n -> new long[0];
            });
        }
        return cuts;
    }

    private static double number(InputModel m, String name, double fallback) {
        return m.parameters().get(name).flatMap(s -> s.evaluate("", 0)).map(v -> ((Number) v).doubleValue())
                .orElse(fallback);
    }
}
