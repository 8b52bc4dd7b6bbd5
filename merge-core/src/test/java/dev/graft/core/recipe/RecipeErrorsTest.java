package dev.graft.core.recipe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.plan.TestMethods;
import dev.graft.formats.io.FileAccessException;

import static dev.graft.core.recipe.RecipeFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every rejected recipe names the file, the key path and what to do. */
class RecipeErrorsTest {
    private static final String MODELS = """
            models:
              - model: ft1
                parameters:
                  weight: 1.0
            """;

    /** The problems of a recipe that must fail, each with the file prefix. */
    private static List<String> problems(String yaml) {
        return catchThrowableOfType(RecipeException.class, () -> parse(yaml)).problems();
    }

    private static String only(String yaml) {
        List<String> p = problems(yaml);
        assertThat(p).hasSize(1);
        return p.getFirst();
    }

    @Test
    void aMisspeltTopLevelKeyIsRejectedWithASuggestion() {
        assertThat(only("merge_method: ties\nmerge_metod: ties\n" + MODELS)).isEqualTo(
                "test.yml: unknown key 'merge_metod' (did you mean 'merge_method'?); known keys: merge_method, "
                        + "base_model, models, slices, modules, parameters, dtype, out_dtype, tokenizer_source, "
                        + "tokenizer, chat_template, out_shard_size, name, lines, seed");
        assertThat(only("merge_method: ties\nresidual: 1\n" + MODELS)).startsWith(
                "test.yml: unknown key 'residual'; known keys: merge_method,");
    }

    @Test
    void unknownNestedKeysAreRejectedToo() {
        assertThat(only("merge_method: ties\nmodels:\n  - model: ft1\n    parameter:\n      weight: 1\n"))
                .isEqualTo("test.yml: models[0]: unknown key 'parameter' (did you mean 'parameters'?); known keys: "
                        + "model, parameters");
        assertThat(problems("merge_method: ties\nmodels:\n  - model: ft1\n    parameters:\n      weight:\n"
                + "        - filter: mlp\n          valeu: 1\n        - value: 0\n")).containsExactly(
                "test.yml: models[0].parameters.weight[0]: unknown key 'valeu' (did you mean 'value'?); known keys: "
                        + "filter, value",
                "test.yml: models[0].parameters.weight[0]: filter entry without 'value'");
    }

    @Test
    void bothModelsAndSlices() {
        assertThat(only("merge_method: linear\n" + MODELS + "slices:\n  - sources:\n      - model: a\n"
                + "        layer_range: [0, 2]\n")).isEqualTo("test.yml: Exactly one of 'models', 'slices', or "
                + "'modules' must be present; this recipe has both 'models' and 'slices'");
    }

    @Test
    void neitherModelsNorSlices() {
        assertThat(only("merge_method: linear\n")).isEqualTo("test.yml: Exactly one of 'models', 'slices', or "
                + "'modules' must be present; this recipe has none of them");
        assertThat(only("merge_method: linear\nmodels: []\n")).isEqualTo("test.yml: Exactly one of 'models', "
                + "'slices', or 'modules' must be present; this recipe has none of them (an empty list counts as none)");
    }

    @Test
    void modulesAreNotSupportedYet() {
        assertThat(only("merge_method: linear\nmodules:\n  text_decoder:\n    models:\n      - model: a\n"))
                .isEqualTo("test.yml: modules: multi-module recipes are not supported yet; write a models: or "
                        + "slices: recipe");
    }

    @Test
    void aParameterOfTheWrongShapeNamesItsPath() {
        assertThat(only("merge_method: ties\nmodels:\n  - model: ft1\n  - model: ft2\n    parameters:\n"
                + "      density: {a: 1}\n"))
                .isEqualTo("test.yml: models[1].parameters.density: expected a number, a list of numbers or filter "
                        + "entries, got {a: 1}");
        assertThat(only("merge_method: ties\nparameters:\n  lambda: []\n" + MODELS))
                .isEqualTo("test.yml: parameters.lambda: expected a number, a list of numbers or filter entries, "
                        + "got an empty list");
        assertThat(only("merge_method: ties\nparameters:\n  lambda:\n" + MODELS))
                .isEqualTo("test.yml: parameters.lambda: expected a number, a list of numbers or filter entries, "
                        + "got null");
        assertThat(only("merge_method: ties\nparameters:\n  lambda: [1, high]\n" + MODELS))
                .isEqualTo("test.yml: parameters.lambda: a list must hold only numbers (a gradient), only strings, "
                        + "or only {filter, value} entries, got [1, high]");
    }

    @Test
    void aFilterEntryNeedsAValue() {
        assertThat(only("merge_method: ties\nparameters:\n  t:\n    - filter: mlp\n    - value: 0.5\n" + MODELS))
                .isEqualTo("test.yml: parameters.t[0]: filter entry without 'value'");
        assertThat(only("merge_method: ties\nparameters:\n  t: {filter: mlp}\n" + MODELS))
                .isEqualTo("test.yml: parameters.t: filter entry without 'value'");
        assertThat(only("merge_method: ties\nparameters:\n  t:\n    - filter: 3\n      value: 1\n" + MODELS))
                .isEqualTo("test.yml: parameters.t[0].filter: expected a string, got 3");
    }

    @Test
    void filterEntriesDoNotNest() {
        assertThat(only("merge_method: ties\nparameters:\n  t:\n    - filter: mlp\n      value:\n"
                + "        - filter: up\n          value: 1\n" + MODELS))
                .isEqualTo("test.yml: parameters.t[0].value: expected a number, a string or a list of them (filter "
                        + "entries do not nest), got [{filter: up, value: 1}]");
    }

    @Test
    void anUnknownDtype() {
        assertThat(only("merge_method: ties\ndtype: bf17\n" + MODELS))
                .isEqualTo("test.yml: dtype: unknown dtype bf17; use bfloat16, float16, float32 or float64");
        assertThat(only("merge_method: ties\nout_dtype: int8\n" + MODELS))
                .isEqualTo("test.yml: out_dtype: int8 is not a floating-point dtype; use bfloat16, float16, float32 "
                        + "or float64");
    }

    @Test
    void aLayerRangeMustBeNonEmptyAndOrdered() {
        String head = "merge_method: passthrough\nslices:\n  - sources:\n      - model: a\n        layer_range: ";
        assertThat(only(head + "[5, 5]\n")).isEqualTo("test.yml: slices[0].sources[0].layer_range: end must be "
                + "greater than start (the range [start, end] excludes end), got [5, 5]");
        assertThat(only(head + "[8, 4]\n")).endsWith("got [8, 4]");
        assertThat(only(head + "[0, 4, 8]\n")).isEqualTo("test.yml: slices[0].sources[0].layer_range: expected "
                + "[start, end], got [0, 4, 8]");
        assertThat(only(head + "[-1, 4]\n")).isEqualTo("test.yml: slices[0].sources[0].layer_range: layer indices "
                + "must be between 0 and 2147483647, got [-1, 4]");
        assertThat(only(head + "[0, 2.5]\n")).isEqualTo("test.yml: slices[0].sources[0].layer_range[1]: expected a "
                + "whole number, got 2.5");
        assertThat(only("merge_method: passthrough\nslices:\n  - sources:\n      - model: a\n"))
                .isEqualTo("test.yml: slices[0].sources[0].layer_range: missing; give the blocks to take as "
                        + "[start, end] (end excluded)");
    }

    @Test
    void slicesMustHaveSourcesOfEqualLength() {
        assertThat(only("""
                merge_method: slerp
                slices:
                  - sources:
                      - model: a
                        layer_range: [0, 24]
                      - model: b
                        layer_range: [20, 40]
                parameters:
                  t: 0.5
                """)).isEqualTo("test.yml: slices[0].sources: all sources of a slice must have the same number of "
                + "layers; a has 24 [0, 24], b has 20 [20, 40]");
        assertThat(only("merge_method: passthrough\nslices:\n  - sources: []\n"))
                .isEqualTo("test.yml: slices[0].sources: needs at least one source");
        assertThat(only("merge_method: passthrough\nslices:\n  - parameters: {}\n"))
                .isEqualTo("test.yml: slices[0]: missing 'sources'; list the models this slice takes layers from");
    }

    @Test
    void aModelListedTwice() {
        assertThat(only("merge_method: linear\nmodels:\n  - model: a\n  - model: b\n  - model: a\n"))
                .isEqualTo("test.yml: models[2].model: a is already listed at models[0].model; list each model once");
        assertThat(only("merge_method: slerp\nslices:\n  - sources:\n      - model: a\n        layer_range: [0, 2]\n"
                + "      - model: a\n        layer_range: [2, 4]\n"))
                .isEqualTo("test.yml: slices[0].sources[1].model: a is already listed at slices[0].sources[0].model; "
                        + "list each model once");
    }

    @Test
    void bothTokenizerKeys() {
        assertThat(only("merge_method: ties\ntokenizer_source: union\ntokenizer:\n  source: base\n" + MODELS))
                .isEqualTo("test.yml: Cannot specify both tokenizer_source and tokenizer; keep one");
    }

    @Test
    void mergeMethodIsRequired() {
        assertThat(only(MODELS)).isEqualTo("test.yml: merge_method: missing; name the merge method (linear, ties, "
                + "slerp …)");
        assertThat(only("merge_method: [ties]\n" + MODELS)).isEqualTo("test.yml: merge_method: expected a string, "
                + "got [ties]");
    }

    @Test
    void badModelReferences() {
        assertThat(only("merge_method: linear\nmodels:\n  - model: a+b+c\n")).isEqualTo("test.yml: models[0].model: "
                + "cannot parse model \"a+b+c\": more than one '+' (write model+lora, or use the dict form for paths "
                + "containing '+')");
        assertThat(only("merge_method: linear\nmodels:\n  - parameters: {weight: 1}\n"))
                .isEqualTo("test.yml: models[0]: missing 'model'");
        assertThat(only("merge_method: linear\nmodels:\n  - ft1\n")).isEqualTo("test.yml: models[0]: expected a map "
                + "with 'model' and optional 'parameters', got ft1");
    }

    @Test
    void linesNeedsAnAlpha() {
        assertThat(only("merge_method: ties\nlines:\n  beta: 0.5\n" + MODELS))
                .isEqualTo("test.yml: lines.alpha: missing; give a number or \"auto\"");
        assertThat(only("merge_method: ties\nlines:\n  alpha: automatic\n" + MODELS))
                .isEqualTo("test.yml: lines.alpha: expected a number or \"auto\", got automatic");
        assertThat(only("merge_method: ties\nseed: 1.5\n" + MODELS))
                .isEqualTo("test.yml: seed: expected a whole number, got 1.5");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        RecipeException e = catchThrowableOfType(RecipeException.class, () -> parse("""
                merge_metod: ties
                dtype: bf17
                models:
                  - model: ft1
                    parameters:
                      density: {a: 1}
                """));
        assertThat(e.problems()).containsExactly(
                "test.yml: unknown key 'merge_metod' (did you mean 'merge_method'?); known keys: merge_method, "
                        + "base_model, models, slices, modules, parameters, dtype, out_dtype, tokenizer_source, "
                        + "tokenizer, chat_template, out_shard_size, name, lines, seed",
                "test.yml: merge_method: missing; name the merge method (linear, ties, slerp …)",
                "test.yml: models[0].parameters.density: expected a number, a list of numbers or filter entries, "
                        + "got {a: 1}",
                "test.yml: dtype: unknown dtype bf17; use bfloat16, float16, float32 or float64");
        assertThat(e.getMessage()).isEqualTo(e.problems().getFirst() + " (and 3 more problems)");
        assertThat(e.file()).contains(Path.of("test.yml"));
    }

    @Test
    void readForItsMethodsARecipeReportsUnknownParametersWithItsOtherProblems() {
        // Before, the misspelt key stopped the parse and densty waited for the next run.
        MethodRegistry methods = MethodRegistry.of(TestMethods.of("sum", BaseModel.REQUIRED));
        RecipeException e = catchThrowableOfType(RecipeException.class, () -> Recipe.parse("""
                merge_method: sum
                base_model: base
                models:
                  - model: ft1
                    parameters: {weight: 1, densty: 0.5}
                out_dtpe: bfloat16
                """, Path.of("test.yml"), methods));
        assertThat(e.problems()).containsExactly(
                "test.yml: unknown key 'out_dtpe' (did you mean 'out_dtype'?); known keys: merge_method, "
                        + "base_model, models, slices, modules, parameters, dtype, out_dtype, tokenizer_source, "
                        + "tokenizer, chat_template, out_shard_size, name, lines, seed",
                "test.yml: models[0].parameters.densty: sum has no parameter \"densty\" (its parameters: density, "
                        + "normalize, weight)");
    }

    @Test
    void tokenizerProblemsAndUnknownParametersAreReportedTogether() {
        MethodRegistry methods = MethodRegistry.of(TestMethods.of("sum", BaseModel.REQUIRED));
        Recipe recipe = parse("""
                merge_method: sum
                base_model: base
                models:
                  - model: ft1
                    parameters: {weight: 1}
                parameters: {lamda: 1}
                chat_template: chatlm
                tokenizer:
                  source: ft2
                  tokens:
                    <x>: {source: ft3}
                """);
        RecipeException e = catchThrowableOfType(RecipeException.class,
                () -> RecipeRequests.toRequest(recipe, methods, Path.of("/")));
        assertThat(e.problems()).containsExactly(
                "test.yml: tokenizer source ft2 is not one of the recipe's models (ft1, base)",
                "test.yml: tokenizer.tokens[\"<x>\"]: model ft3 is not one of the recipe's models",
                "test.yml: chat_template \"chatlm\" is neither auto, a template name (alpaca, chatml, llama3, "
                        + "mistral) nor a Jinja template",
                "test.yml: parameters.lamda: sum has no parameter \"lamda\" (its parameters: density, normalize, "
                        + "weight)");
        RecipeException atParse = catchThrowableOfType(RecipeException.class, () -> Recipe.parse(
                recipe.sourceText(), Path.of("test.yml"), methods));
        assertThat(atParse.problems()).isEqualTo(e.problems());
    }

    @Test
    void yamlSyntaxErrorsGiveTheLine() {
        assertThatThrownBy(() -> parse("merge_method: ties\nmodels: [a, b\nparameters: {}\n"))
                .isInstanceOf(RecipeException.class)
                .hasMessageStartingWith("test.yml: line 3, column ")
                .hasMessageContaining("invalid YAML: ");
        assertThatThrownBy(() -> parse("merge_method: ties\nmerge_method: linear\n" + MODELS))
                .isInstanceOf(RecipeException.class)
                .hasMessage("test.yml: line 2, column 13: invalid YAML: duplicate key 'merge_method'");
    }

    @Test
    void oneDocumentPerFile() {
        assertThatThrownBy(() -> parse("merge_method: ties\n" + MODELS + "---\nmerge_method: linear\n" + MODELS))
                .isInstanceOf(RecipeException.class)
                .hasMessage("test.yml: holds 2 YAML documents (separated by ---); write one recipe per file "
                        + "(mergekit-multi files are not supported)");
        assertThatThrownBy(() -> parse("")).hasMessage("test.yml: the recipe is empty; it needs at least "
                + "merge_method and models: or slices:");
        assertThatThrownBy(() -> parse("- a\n- b\n")).hasMessage("test.yml: expected a map of recipe keys "
                + "(merge_method, models …), got [a, b]");
    }

    @Test
    void aMissingFileIsAFileAccessError(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.yml");
        assertThatThrownBy(() -> Recipe.load(missing)).isInstanceOf(FileAccessException.class)
                .hasMessage(missing + ": cannot read the recipe: no such file or directory");
        Path latin1 = dir.resolve("latin1.yml");
        Files.write(latin1, new byte[]{'a', ':', ' ', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> Recipe.load(latin1)).isInstanceOf(RecipeException.class)
                .hasMessage(latin1 + ": not UTF-8 text; save the recipe as UTF-8");
    }

    @Test
    void perTokenSourcesAreCheckedAsMergekitsPydanticModelsAre() {
        assertThat(only("""
                merge_method: ties
                tokenizer:
                  tokens:
                    <a>: {source: {kind: model_token, model: ft1, token_id: 3, token: "<b>"}}
                """ + MODELS)).isEqualTo("test.yml: tokenizer.tokens[\"<a>\"].source: only one of token_id or "
                + "token may be specified");
        assertThat(only("""
                merge_method: ties
                tokenizer:
                  tokens:
                    <a>: {source: {kind: model_token, model: ft1}}
                """ + MODELS)).isEqualTo("test.yml: tokenizer.tokens[\"<a>\"].source: token_id or token must be "
                + "specified");
        assertThat(only("""
                merge_method: ties
                tokenizer:
                  tokens:
                    <a>: {source: {kind: average}}
                """ + MODELS)).isEqualTo("test.yml: tokenizer.tokens[\"<a>\"].source.kind: expected model_token or "
                + "zero, got average");
        assertThat(only("""
                merge_method: ties
                tokenizer:
                  tokens:
                    <a>: {force: true}
                """ + MODELS)).isEqualTo("test.yml: tokenizer.tokens[\"<a>\"]: missing 'source': a model, "
                + "{kind: model_token, …} or {kind: zero}");
    }
}
