package dev.graft.core.recipe;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static dev.graft.core.recipe.RecipeFixtures.parse;
import static dev.graft.core.recipe.RecipeFixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParameterResolverTest {
    private static final String SLICED = """
            merge_method: ties
            base_model: base
            slices:
              - sources:
                  - model: base
                    layer_range: [0, 4]
                  - model: ft1
                    layer_range: [0, 4]
                    parameters:
                      weight: 0.9
                      density:
                        - filter: mlp
                          value: 0.1
                  - model: ft2
                    layer_range: [4, 8]
                parameters:
                  density: 0.5
                  lambda: [1, 2]
                  weight:
                    - filter: self_attn
                      value: 0.2
              - sources:
                  - model: ft1
                    layer_range: [4, 8]
                base_model: ft2
            parameters:
              weight: 0.7
              density: 0.6
              lambda: 0.95
              normalize: false
            """;
    private static final String MLP = "model.layers.1.mlp.up_proj.weight";
    private static final String ATTN = "model.layers.1.self_attn.q_proj.weight";
    private static final ModelRef BASE = ref("base");
    private static final ModelRef FT1 = ref("ft1");
    private static final ModelRef FT2 = ref("ft2");

    private final Recipe recipe = parse(SLICED);
    private final ParameterResolver first = recipe.resolver(recipe.slices().orElseThrow().get(0));
    private final ParameterResolver second = recipe.resolver(recipe.slices().orElseThrow().get(1));

    @Test
    void aModelsOwnBlockComesFirst() {
        ParameterValue v = first.perModel("weight", FT1, MLP, 0.5).orElseThrow();
        assertThat(v.value()).isEqualTo(0.9);
        assertThat(v.name()).isEqualTo("weight");
        assertThat(v.location()).isEqualTo("slices[0].sources[1].parameters.weight");
        assertThat(v.recipe()).isEqualTo(Path.of("test.yml"));
    }

    @Test
    void anUnmatchedFilterFallsThroughToTheSlice() {
        assertThat(first.perModel("density", FT1, MLP, 0).orElseThrow().value()).isEqualTo(0.1);
        ParameterValue v = first.perModel("density", FT1, ATTN, 0).orElseThrow();
        assertThat(v.value()).isEqualTo(0.5);
        assertThat(v.location()).isEqualTo("slices[0].parameters.density");
    }

    @Test
    void anUnmatchedSliceFilterFallsThroughToTheTopLevel() {
        assertThat(first.perModel("weight", FT2, ATTN, 0).orElseThrow().value()).isEqualTo(0.2);
        ParameterValue v = first.perModel("weight", FT2, MLP, 0).orElseThrow();
        assertThat(v.value()).isEqualTo(0.7);
        assertThat(v.location()).isEqualTo("parameters.weight");
    }

    @Test
    void globalLookupsSkipModelBlocks() {
        // ft1 sets weight 0.9 for itself; a global lookup of the same name never sees it
        assertThat(first.global("weight", MLP, 0).orElseThrow().value()).isEqualTo(0.7);
        assertThat(first.global("weight", ATTN, 0).orElseThrow().value()).isEqualTo(0.2);
    }

    @Test
    void sliceParametersApplyToTheirSliceOnly() {
        assertThat(first.global("lambda", MLP, 0.5).orElseThrow().asDouble()).isEqualTo(1.5);
        assertThat(second.global("lambda", MLP, 0.5).orElseThrow().asDouble()).isEqualTo(0.95);
        assertThat(second.perModel("density", FT1, MLP, 0).orElseThrow().asDouble()).isEqualTo(0.6);
        assertThat(second.perModel("weight", FT1, MLP, 0).orElseThrow().location()).isEqualTo("parameters.weight");
    }

    @Test
    void unsetParametersAreEmptyForTheCallersDefault() {
        assertThat(first.global("int8_mask", MLP, 0)).isEmpty();
        assertThat(first.perModel("gamma", FT1, MLP, 0)).isEmpty();
        assertThat(first.global("int8_mask", MLP, 0).map(ParameterValue::asBoolean).orElse(false)).isFalse();
        assertThat(first.global("normalize", MLP, 0).map(ParameterValue::asBoolean).orElse(true)).isFalse();
    }

    @Test
    void filtersMatchTheNameTheyAreGiven() {
        // per-model lookups match the input tensor name, global ones the output name
        String renamedInput = "transformer.h.1.mlp.c_fc.weight";
        assertThat(first.perModel("density", FT1, renamedInput, 0).orElseThrow().value()).isEqualTo(0.1);
        assertThat(first.perModel("density", FT1, "transformer.h.1.attn.c_attn.weight", 0).orElseThrow().value())
                .isEqualTo(0.5);
    }

    @Test
    void aModelOutsideTheSliceStartsAtTheSliceLevel() {
        assertThat(second.perModel("weight", BASE, MLP, 0).orElseThrow().location()).isEqualTo("parameters.weight");
    }

    @Test
    void theSliceBaseOverridesTheRecipeBase() {
        assertThat(first.baseModel()).contains(BASE);
        assertThat(second.baseModel()).contains(FT2);
        assertThat(first.models()).containsExactly(BASE, FT1, FT2);
        assertThat(second.models()).containsExactly(FT1);
    }

    @Test
    void requiredParametersNameTheTensor() {
        assertThatThrownBy(() -> first.requireGlobal("t", MLP, 0))
                .isInstanceOf(RecipeException.class)
                .hasMessage("test.yml: missing required parameter 't' for tensor " + MLP + "; set it under "
                        + "parameters:");
        assertThatThrownBy(() -> first.requirePerModel("epsilon", FT1, MLP, 0))
                .isInstanceOf(RecipeException.class)
                .hasMessage("test.yml: missing required parameter 'epsilon' for model ft1, tensor " + MLP
                        + "; set it in the model's parameters: or under the top-level parameters:");
        assertThat(first.requirePerModel("weight", FT1, MLP, 0).asDouble()).isEqualTo(0.9);
        assertThat(first.requireGlobal("lambda", MLP, 1).asDouble()).isEqualTo(2.0);
    }

    @Test
    void aModelsRecipeBecomesOneSliceWithTheBaseAppended() {
        Recipe r = parse("""
                merge_method: task_arithmetic
                base_model: base
                models:
                  - model: ft1
                    parameters:
                      weight: 0.5
                  - model: ft2
                parameters:
                  weight: 1.0
                """);
        List<OutputSlice> slices = r.outputSlices(m -> 6);
        assertThat(slices).hasSize(1);
        OutputSlice s = slices.getFirst();
        assertThat(s.models()).containsExactly(FT1, FT2, BASE);
        assertThat(s.layerCount()).isEqualTo(6);
        assertThat(s.sources().get(2).parameters()).isEqualTo(Parameters.empty("base_model"));
        assertThat(s.baseModel()).isEmpty();
        ParameterResolver p = r.resolver(s);
        assertThat(p.baseModel()).contains(BASE);
        assertThat(p.perModel("weight", FT1, MLP, 0).orElseThrow().location()).isEqualTo("models[0].parameters.weight");
        assertThat(p.perModel("weight", FT2, MLP, 0).orElseThrow().asDouble()).isEqualTo(1.0);
        // mergekit gives the appended base the top-level weight too; methods ignore a base weight
        assertThat(p.perModel("weight", BASE, MLP, 0).orElseThrow().asDouble()).isEqualTo(1.0);
    }

    @Test
    void aListedBaseIsNotAppendedAgain() {
        Recipe r = parse("""
                merge_method: slerp
                base_model: base
                models:
                  - model: base
                  - model: ft1
                parameters:
                  t: 0.3
                """);
        assertThat(r.outputSlices(m -> 2).getFirst().models()).containsExactly(BASE, FT1);
    }

    @Test
    void modelsWithDifferentLayerCountsCannotBeMergedBlockByBlock() {
        Recipe r = parse("""
                merge_method: linear
                models:
                  - model: ft1
                    parameters: {weight: 1}
                  - model: ft2
                    parameters: {weight: 1}
                """);
        assertThatThrownBy(() -> r.outputSlices(m -> m.equals(FT1) ? 32 : 28))
                .isInstanceOf(RecipeException.class)
                .hasMessage("test.yml: models: all inputs must have the same number of layers to be merged block by "
                        + "block; ft1 has 32, ft2 has 28");
    }
}
