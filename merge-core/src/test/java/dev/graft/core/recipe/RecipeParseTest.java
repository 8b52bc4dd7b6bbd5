package dev.graft.core.recipe;

import dev.graft.core.recipe.ParameterSetting.Choice;
import dev.graft.core.recipe.ParameterSetting.Filtered;
import dev.graft.core.recipe.ParameterSetting.Filtered.Entry;
import dev.graft.core.recipe.ParameterSetting.Gradient;
import dev.graft.core.recipe.ParameterSetting.Scalar;
import dev.graft.formats.dtype.DType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static dev.graft.core.recipe.RecipeFixtures.parse;
import static dev.graft.core.recipe.RecipeFixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;

/** The optional keys and the less common spellings a recipe may use. */
class RecipeParseTest {

    @Test
    void graftAndMergekitExtras() {
        Recipe r = parse("""
                merge_method: dare_ties
                base_model: base@main
                models:
                  - model: ft1+adapters/a1@v2
                    parameters: {weight: 1, density: 0.5}
                dtype: torch.bfloat16
                out_dtype: float16
                tokenizer_source: ft1
                chat_template: chatml
                seed: 42
                lines:
                  alpha: auto
                """);
        assertThat(r.baseModel()).contains(new ModelRef(new ModelPath("base", Optional.of("main")), Optional.empty(),
                Optional.empty()));
        ModelRef ft1 = r.listedModels().getFirst();
        assertThat(ft1.path()).isEqualTo("ft1");
        assertThat(ft1.lora()).contains(new ModelPath("adapters/a1", Optional.of("v2")));
        assertThat(r.dtype()).contains(DType.BF16);
        assertThat(r.outDtype()).contains(DType.F16);
        assertThat(r.tokenizerSource()).contains("ft1");
        assertThat(r.padToMultipleOf()).isEmpty();
        assertThat(r.chatTemplate()).contains("chatml");
        assertThat(r.seed()).contains(42L);
        assertThat(r.lines()).contains(new LinesConfig(OptionalDouble.empty(), 0));
        assertThat(r.lines().orElseThrow().isAutoAlpha()).isTrue();
        // YAML integers stay integers; a float parameter reads them as numbers
        assertThat(r.models().orElseThrow().getFirst().parameters().get("weight")).contains(new Scalar(1L));
    }

    @Test
    void perTokenSourcesInEachOfMergekitsForms() {
        Recipe r = parse("""
                merge_method: linear
                models:
                  - model: a
                  - model: b
                tokenizer:
                  source: union
                  pad_to_multiple_of: 8
                  tokens:
                    <|im_start|>: {source: b}
                    <|im_end|>: {source: b, force: true}
                    <|eot|>: {source: {kind: model_token, model: a, token: "</s>"}}
                    <|x|>: {source: {kind: model_token, model: b, token_id: 7}}
                    <pad>: {source: {kind: zero}}
                """);
        ModelRef a = ModelRef.parse("a");
        ModelRef b = ModelRef.parse("b");
        assertThat(r.tokenizerTokens()).containsExactly(
                Map.entry("<|im_start|>", new TokenEmbedding(TokenEmbedding.Kind.MODEL, Optional.of(b),
                        OptionalInt.empty(), Optional.empty(), false)),
                Map.entry("<|im_end|>", new TokenEmbedding(TokenEmbedding.Kind.MODEL, Optional.of(b),
                        OptionalInt.empty(), Optional.empty(), true)),
                Map.entry("<|eot|>", new TokenEmbedding(TokenEmbedding.Kind.MODEL_TOKEN, Optional.of(a),
                        OptionalInt.empty(), Optional.of("</s>"), false)),
                Map.entry("<|x|>", new TokenEmbedding(TokenEmbedding.Kind.MODEL_TOKEN, Optional.of(b),
                        OptionalInt.of(7), Optional.empty(), false)),
                Map.entry("<pad>", new TokenEmbedding(TokenEmbedding.Kind.ZERO, Optional.empty(),
                        OptionalInt.empty(), Optional.empty(), false)));
        assertThat(r.padToMultipleOf()).hasValue(8);
    }

    @Test
    void tokenizerBlockDefaultsToUnion() {
        Recipe r = parse("merge_method: linear\nmodels:\n  - model: a\ntokenizer:\n  pad_to_multiple_of: 64\n");
        assertThat(r.tokenizerSource()).contains(Recipe.TOKENIZER_UNION);
        assertThat(r.padToMultipleOf()).isEqualTo(OptionalInt.of(64));
        assertThat(parse("merge_method: linear\nmodels:\n  - model: a\ntokenizer:\n  source: base\n")
                .tokenizerSource()).contains(Recipe.TOKENIZER_BASE);
    }

    @Test
    void dictFormModelReferences() {
        Recipe r = parse("""
                merge_method: linear
                models:
                  - model:
                      model: {path: org/model, revision: v1}
                      lora: org/lora@main
                      override_architecture: MistralForCausalLM
                  - model: {model: plain}
                """);
        ModelRef first = r.listedModels().get(0);
        assertThat(first.model()).isEqualTo(new ModelPath("org/model", Optional.of("v1")));
        assertThat(first.lora()).contains(new ModelPath("org/lora", Optional.of("main")));
        assertThat(first.overrideArchitecture()).contains("MistralForCausalLM");
        assertThat(first).hasToString("org/model@v1+org/lora@main");
        assertThat(r.listedModels().get(1)).isEqualTo(ref("plain"));
    }

    @Test
    void settingShapes() {
        Recipe r = parse("""
                merge_method: custom
                models:
                  - model: a
                parameters:
                  mode: fast
                  schedule: [low, high]
                  flags: [true, false]
                  one: {filter: mlp, value: [0, 1]}
                  star:
                    - filter: "*"
                      value: 2
                  empty:
                """.replace("  empty:\n", ""));
        Parameters p = r.parameters();
        assertThat(p.names()).containsExactly("mode", "schedule", "flags", "one", "star");
        assertThat(p.get("mode")).contains(new Scalar("fast"));
        assertThat(p.get("schedule")).contains(new Choice(List.of("low", "high")));
        // Python's bools are ints and pydantic reads them as floats: a gradient from 1 to 0
        assertThat(p.get("flags")).contains(new Gradient(List.of(1.0, 0.0)));
        assertThat(p.get("flags").orElseThrow().evaluate("x", 0.5)).contains(0.5);
        assertThat(p.get("one")).contains(new Filtered(List.of(
                new Entry(Optional.of("mlp"), new Gradient(List.of(0.0, 1.0))))));
        assertThat(p.get("star")).contains(new Filtered(List.of(new Entry(Optional.of("*"), new Scalar(2L)))));
        assertThat(p.get("missing")).isEmpty();
    }

    @Test
    void sliceExtras() {
        Recipe r = parse("""
                merge_method: slerp
                slices:
                  - sources:
                      - model: a
                        layer_range: [0.0, 8]
                        parameters:
                      - model: b
                        layer_range: [8, 16]
                    base_model: a
                    residual_weight: 0.1
                    parameters:
                      t: 0.25
                """);
        OutputSlice s = r.slices().orElseThrow().getFirst();
        assertThat(s.sources().get(0).layerRange()).isEqualTo(new LayerRange(0, 8));
        assertThat(s.sources().get(0).parameters().isEmpty()).isTrue();
        assertThat(s.baseModel()).contains(ref("a"));
        assertThat(s.parameters().get("t")).contains(new Scalar(0.25));
        assertThat(s.parameters().location()).isEqualTo("slices[0].parameters");
        assertThat(r.parameterBlocks()).extracting(Parameters::location).containsExactly("parameters",
                "slices[0].parameters", "slices[0].sources[0].parameters", "slices[0].sources[1].parameters");
    }

    @Test
    void theSourceTextIsKeptVerbatim() {
        String yaml = "# my merge\nmerge_method: linear   # plain average\nmodels:\n  - model: a\n  - model: b\n";
        assertThat(parse(yaml).sourceText()).isEqualTo(yaml);
    }
}
