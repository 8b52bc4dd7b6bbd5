package dev.graft.algorithms;

import dev.graft.core.exec.MergeOptions;
import dev.graft.core.plan.PlanException;
import dev.graft.core.recipe.Recipe;
import dev.graft.core.recipe.RecipeException;
import dev.graft.formats.dtype.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The recipe a merge records reproduces it, and what a merge cannot honour is refused, not ignored. */
class RecipeRoundTripTest {
    @TempDir
    Path dir;

    private static final Path BASE = ReferenceVectors.model("base");
    private static final Path FT1 = ReferenceVectors.model("ft1");
    private static final Path FT2 = ReferenceVectors.model("ft2");

    @Test
    void theRecordedRecipeOfARandomMergeReproducesItByteForByte() throws Exception {
        Path out = dir.resolve("dare");
        Merge.dareTies().base(BASE).add(FT1, 1.0, 0.4).add(FT2, 0.8, 0.6).seed(7).outDtype(DType.BF16).write(out);
        Path recipe = out.resolve("graft_recipe.yml");
        Path again = dir.resolve("again.safetensors");
        // The recipe lists the base last (mergekit's order); random draws follow model names, not positions.
        Recipe.load(recipe).run(again, MergeOptions.defaults(), Path.of("/"));
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(out.resolve("model.safetensors")));
    }

    @Test
    void parametersTheMethodDoesNotHaveAreRefused() {
        PlanException e = catchThrowableOfType(PlanException.class, () -> Merge.modelStock().base(BASE)
                .add(FT1, Map.of("weight", 0.3)).add(FT2, Map.of()).lambda(2).plan());
        assertThat(e.problems()).containsExactly(
                "model_stock has no parameter \"lambda\" (its parameters: filter_wise)",
                "model_stock has no parameter \"weight\" (its parameters: filter_wise)");
    }

    @Test
    void recipeFeaturesNotImplementedAreRefused() throws Exception {
        Path r = dir.resolve("r.yml");
        Files.writeString(r, """
                merge_method: task_arithmetic
                base_model: base
                models:
                  - model: ft1+some/lora@v2
                    parameters: {weight: 1.0}
                  - model: ft2@v1
                    parameters: {weight: 1.0}
                tokenizer_source: union
                chat_template: chatml
                """);
        RecipeException e = catchThrowableOfType(RecipeException.class,
                () -> Recipe.load(r).plan(MergeOptions.defaults(), ReferenceVectors.root().resolve("models")));
        assertThat(e.problems()).containsExactly(
                r + ": model ft1+some/lora@v2: @revision is not supported (Graft reads local folders only)",
                r + ": model ft2@v1: @revision is not supported (Graft reads local folders only)");
    }
}
