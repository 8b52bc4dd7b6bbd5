package dev.graft.core.plan;

import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.recipe.Recipe;
import dev.graft.core.recipe.RecipeRequests;
import dev.graft.formats.model.ModelSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The planner's problems name parameters the way the request was written: builder names, flags, recipe keys. */
class PlanVocabularyTest {
    /** Named {@code linear} because the planner checks the sum of weights for that one. */
    private static final MergeMethod LINEAR = TestMethods.of("linear", BaseModel.OPTIONAL);
    /** The same parameters, with a base required. */
    private static final MergeMethod SUM = TestMethods.of("sum", BaseModel.REQUIRED);

    private static final MethodRegistry METHODS = MethodRegistry.of(LINEAR, SUM);

    /** A front end that spells like a command line, as graft merge's does. */
    private static final Vocabulary FLAGS = new Vocabulary() {
        @Override
        public String modelParameter(int model, String label, String name) {
            return "--" + name;
        }

        @Override
        public String globalParameter(String name) {
            return "--" + name;
        }

        @Override
        public String globalSetting(String name, Object value) {
            return Boolean.FALSE.equals(value) ? "--no-" + name : "--" + name;
        }

        @Override
        public String baseModel() {
            return "--base";
        }

        @Override
        public String lines() {
            return "--lines";
        }
    };

    private final List<ModelSource> opened = new ArrayList<>();

    private static Path models() {
        return Path.of(System.getProperty("graft.testdata", "../testdata")).toAbsolutePath().normalize()
                .resolve("vectors/merge/models");
    }

    @AfterEach
    void close() {
        opened.forEach(ModelSource::close);
    }

    private List<String> problems(MergeRequest request) {
        List<ModelSource> sources = new ArrayList<>();
        for (PlannedModel m : request.models()) {
            sources.add(ModelSource.open(m.path()));
        }
        opened.addAll(sources);
        return catchThrowableOfType(PlanException.class, () -> new Planner(METHODS).plan(request, sources))
                .problems();
    }

    /** ft2 without a weight and with a density out of range, so that the weights sum to 0. */
    private RequestBuilder badRequest() {
        return new RequestBuilder("linear")
                .model("ft1", models().resolve("ft1"), Map.of("weight", 0.0))
                .model("ft2", models().resolve("ft2"), Map.of("density", 2.0));
    }

    @Test
    void theBuilderNamesModelAndParameter() {
        assertThat(problems(badRequest().build())).containsExactly(
                "missing required parameter ft2.weight (first needed for lm_head.weight)",
                "ft2.density must be between 0.0 and 1.0, got 2.0",
                "weights sum to 0 and normalizing divides by their sum (first at lm_head.weight); use normalize=false");
    }

    @Test
    void aCommandLineNamesItsFlags() {
        assertThat(problems(badRequest().vocabulary(FLAGS).build())).containsExactly(
                "missing required parameter --weight (first needed for lm_head.weight)",
                "--density must be between 0.0 and 1.0, got 2.0",
                "weights sum to 0 and normalizing divides by their sum (first at lm_head.weight); use --no-normalize");
        MergeRequest noBase = new RequestBuilder("sum").model("ft1", models().resolve("ft1"), Map.of("weight", 1.0))
                .vocabulary(FLAGS).build();
        assertThat(problems(noBase)).containsExactly("sum needs a base model; give one with --base");
    }

    @Test
    void aRecipeNamesItsKeys() {
        Recipe recipe = Recipe.parse("""
                merge_method: linear
                models:
                  - model: ft1
                    parameters: {weight: 0.0}
                  - model: ft2
                    parameters: {density: 2.0}
                """, Path.of("r.yml"), METHODS);
        assertThat(problems(RecipeRequests.toRequest(recipe, METHODS, models()))).containsExactly(
                "missing required parameter models[1].parameters.weight (first needed for lm_head.weight)",
                "models[1].parameters.density must be between 0.0 and 1.0, got 2.0",
                "weights sum to 0 and normalizing divides by their sum (first at lm_head.weight); use "
                        + "parameters.normalize: false");
        Recipe topLevel = Recipe.parse("""
                merge_method: sum
                models:
                  - model: ft1
                parameters: {weight: 1.0, density: 3, normalize: maybe}
                """, Path.of("r.yml"), METHODS);
        assertThat(problems(RecipeRequests.toRequest(topLevel, METHODS, models()))).containsExactly(
                "sum needs a base model; give one with base_model",
                "parameters.normalize: expected true or false, got maybe",
                "parameters.density must be between 0.0 and 1.0, got 3.0");
    }

    @Test
    void aSliceNamesTheSourceThatLacksTheParameter() {
        Recipe recipe = Recipe.parse("""
                merge_method: sum
                base_model: base
                slices:
                  - sources:
                      - model: base
                        layer_range: [0, 3]
                      - model: ft1
                        layer_range: [0, 3]
                """, Path.of("r.yml"), METHODS);
        assertThat(problems(RecipeRequests.toRequest(recipe, METHODS, models()))).containsExactly(
                "missing required parameter slices[0].sources[1].parameters.weight (first needed for "
                        + "model.embed_tokens.weight)");
    }
}
