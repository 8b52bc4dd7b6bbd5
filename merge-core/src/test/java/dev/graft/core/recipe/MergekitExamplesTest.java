package dev.graft.core.recipe;

import dev.graft.core.recipe.ParameterSetting.Filtered;
import dev.graft.core.recipe.ParameterSetting.Filtered.Entry;
import dev.graft.core.recipe.ParameterSetting.Gradient;
import dev.graft.core.recipe.ParameterSetting.Scalar;
import dev.graft.formats.dtype.DType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.graft.core.recipe.RecipeFixtures.parse;
import static dev.graft.core.recipe.RecipeFixtures.ref;
import static dev.graft.core.recipe.RecipeFixtures.scalars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** mergekit's examples/*.yml, verbatim, parsed and evaluated. */
class MergekitExamplesTest {
    static final String TIES = """
            models:
              - model: psmathur/orca_mini_v3_13b
                parameters:
                  density: [1, 0.7, 0.1] # density gradient
                  weight: 1.0
              - model: garage-bAInd/Platypus2-13B
                parameters:
                  density: 0.5
                  weight: [0, 0.3, 0.7, 1] # weight gradient
              - model: WizardLM/WizardMath-13B-V1.0
                parameters:
                  density: 0.33
                  weight:
                    - filter: mlp
                      value: 0.5
                    - value: 0
            merge_method: ties
            base_model: TheBloke/Llama-2-13B-fp16
            parameters:
              normalize: true
              int8_mask: true
            dtype: float16
            """;

    static final String GRADIENT_SLERP = """
            slices:
              - sources:
                  - model: psmathur/orca_mini_v3_13b
                    layer_range: [0, 40]
                  - model: garage-bAInd/Platypus2-13B
                    layer_range: [0, 40]
            merge_method: slerp
            base_model: psmathur/orca_mini_v3_13b
            parameters:
              t:
                - filter: self_attn
                  value: [0, 0.5, 0.3, 0.7, 1]
                - filter: mlp
                  value: [1, 0.5, 0.7, 0.3, 0]
                - value: 0.5 # fallback for rest of tensors
            dtype: float16
            """;

    static final String FRANKEN_44 = """
            slices:
              - sources:
                - model: psmathur/orca_mini_v3_13b
                  layer_range: [0, 24]
              - sources:
                - model: garage-bAInd/Platypus2-13B
                  layer_range: [20, 40]
            merge_method: passthrough
            dtype: float16
            """;

    private static final ModelRef ORCA = ref("psmathur/orca_mini_v3_13b");
    private static final ModelRef PLATYPUS = ref("garage-bAInd/Platypus2-13B");
    private static final ModelRef WIZARD = ref("WizardLM/WizardMath-13B-V1.0");
    private static final ModelRef LLAMA = ref("TheBloke/Llama-2-13B-fp16");

    @Test
    void tiesWithGradientsAndFilters() {
        Recipe r = parse(TIES);
        assertThat(r.mergeMethod()).isEqualTo("ties");
        assertThat(r.baseModel()).contains(LLAMA);
        assertThat(r.dtype()).contains(DType.F16);
        assertThat(r.outDtype()).isEmpty();
        assertThat(r.listedModels()).containsExactly(ORCA, PLATYPUS, WIZARD);
        assertThat(r.inputs()).containsExactly(ORCA, PLATYPUS, WIZARD, LLAMA);
        assertThat(scalars(r.parameters())).containsExactly(entry("normalize", true), entry("int8_mask", true));

        List<InputModel> models = r.models().orElseThrow();
        Parameters orca = models.get(0).parameters();
        assertThat(orca.get("density")).contains(new Gradient(List.of(1.0, 0.7, 0.1)));
        assertThat(orca.get("weight")).contains(new Scalar(1.0));
        Parameters platypus = models.get(1).parameters();
        assertThat(platypus.get("density")).contains(new Scalar(0.5));
        assertThat(platypus.get("weight")).contains(new Gradient(List.of(0.0, 0.3, 0.7, 1.0)));
        Parameters wizard = models.get(2).parameters();
        assertThat(wizard.get("density")).contains(new Scalar(0.33));
        assertThat(wizard.get("weight")).contains(new Filtered(List.of(
                new Entry(Optional.of("mlp"), new Scalar(0.5)),
                new Entry(Optional.empty(), new Scalar(0L)))));
    }

    @Test
    void tiesResolvedForTensors() {
        Recipe r = parse(TIES);
        List<OutputSlice> slices = r.outputSlices(m -> 40);
        assertThat(slices).hasSize(1);
        OutputSlice s = slices.getFirst();
        assertThat(s.models()).containsExactly(ORCA, PLATYPUS, WIZARD, LLAMA);
        assertThat(s.sources()).allSatisfy(src -> assertThat(src.layerRange()).isEqualTo(new LayerRange(0, 40)));
        ParameterResolver p = r.resolver(s);
        assertThat(p.baseModel()).contains(LLAMA);

        String mlp = "model.layers.13.mlp.down_proj.weight";
        String attn = "model.layers.13.self_attn.o_proj.weight";
        double t = GradientT.forLayer(13, 40);
        // Python: evaluate_setting(…, [1, 0.7, 0.1], 13/39) == 0.8 and […, [0, 0.3, 0.7, 1], 13/39] == 0.3
        assertThat(p.perModel("density", ORCA, mlp, t).orElseThrow().value()).isEqualTo(0.8);
        assertThat(p.perModel("weight", PLATYPUS, mlp, t).orElseThrow().value()).isEqualTo(0.3);
        assertThat(p.perModel("weight", WIZARD, mlp, t).orElseThrow().value()).isEqualTo(0.5);
        assertThat(p.perModel("weight", WIZARD, attn, t).orElseThrow().value()).isEqualTo(0L);
        // the appended base has no block of its own, and no level sets weight or density
        assertThat(p.perModel("weight", LLAMA, mlp, t)).isEmpty();
        assertThat(p.global("normalize", mlp, t).orElseThrow().asBoolean()).isTrue();
        assertThat(p.global("lambda", mlp, t)).isEmpty();
        // embeddings sit at t = 0: the gradients' first values
        String embed = "model.embed_tokens.weight";
        assertThat(p.perModel("density", ORCA, embed, GradientT.forTensor(embed, 40)).orElseThrow().asDouble())
                .isEqualTo(1.0);
        assertThat(p.perModel("weight", PLATYPUS, "lm_head.weight", GradientT.OUTSIDE_BLOCKS).orElseThrow()
                .asDouble()).isEqualTo(0.0);
    }

    @Test
    void gradientSlerpWithFilters() {
        Recipe r = parse(GRADIENT_SLERP);
        assertThat(r.isSliced()).isTrue();
        assertThat(r.models()).isEmpty();
        assertThat(r.baseModel()).contains(ORCA);
        List<OutputSlice> slices = r.slices().orElseThrow();
        assertThat(slices).hasSize(1);
        OutputSlice s = slices.getFirst();
        assertThat(s.sources()).containsExactly(
                new InputSlice(ORCA, new LayerRange(0, 40), Parameters.empty("slices[0].sources[0].parameters")),
                new InputSlice(PLATYPUS, new LayerRange(0, 40), Parameters.empty("slices[0].sources[1].parameters")));
        assertThat(s.layerCount()).isEqualTo(40);
        assertThat(s.baseModel()).isEmpty();
        assertThat(r.outputSlices(m -> {
            throw new AssertionError("a slices: recipe needs no layer counts");
        })).isEqualTo(slices);
        assertThat(r.inputs()).containsExactly(ORCA, PLATYPUS);

        ParameterResolver p = r.resolver(s);
        assertThat(p.global("t", "model.layers.0.self_attn.q_proj.weight", GradientT.forLayer(0, 40))
                .orElseThrow().asDouble()).isEqualTo(0.0);
        assertThat(p.global("t", "model.layers.39.self_attn.q_proj.weight", GradientT.forLayer(39, 40))
                .orElseThrow().asDouble()).isEqualTo(1.0);
        assertThat(p.global("t", "model.layers.20.self_attn.q_proj.weight", GradientT.forLayer(20, 40))
                .orElseThrow().asDouble()).isEqualTo(0.32051282051282043);
        assertThat(p.global("t", "model.layers.0.mlp.gate_proj.weight", 0).orElseThrow().asDouble())
                .isEqualTo(1.0);
        assertThat(p.global("t", "model.layers.39.mlp.gate_proj.weight", 1).orElseThrow().asDouble())
                .isEqualTo(0.0);
        ParameterValue norm = p.global("t", "model.layers.5.input_layernorm.weight", GradientT.forLayer(5, 40))
                .orElseThrow();
        assertThat(norm.asDouble()).isEqualTo(0.5);
        assertThat(norm.location()).isEqualTo("parameters.t");
    }

    @Test
    void fortyFourLayerFrankenmerge() {
        Recipe r = parse(FRANKEN_44);
        assertThat(r.mergeMethod()).isEqualTo("passthrough");
        assertThat(r.baseModel()).isEmpty();
        List<OutputSlice> slices = r.slices().orElseThrow();
        assertThat(slices).hasSize(2);
        assertThat(slices.get(0).sources()).containsExactly(
                new InputSlice(ORCA, new LayerRange(0, 24), Parameters.empty("slices[0].sources[0].parameters")));
        assertThat(slices.get(1).sources()).containsExactly(
                new InputSlice(PLATYPUS, new LayerRange(20, 40), Parameters.empty("slices[1].sources[0].parameters")));
        assertThat(slices.stream().mapToInt(OutputSlice::layerCount).sum()).isEqualTo(44);
        assertThat(slices.get(1).sources().getFirst().layerRange().layer(0)).isEqualTo(20);
        assertThat(slices.get(1).sources().getFirst().layerRange().layer(19)).isEqualTo(39);
        assertThat(r.listedModels()).containsExactly(ORCA, PLATYPUS);
        assertThat(r.resolver(slices.get(1)).perModel("scale", PLATYPUS, "model.layers.20.mlp.up_proj.weight", 0))
                .isEmpty();
    }
}
