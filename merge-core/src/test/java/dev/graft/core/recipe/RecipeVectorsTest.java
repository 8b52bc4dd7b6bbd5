package dev.graft.core.recipe;

import dev.graft.formats.dtype.DType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

import static dev.graft.core.recipe.RecipeFixtures.recipes;
import static dev.graft.core.recipe.RecipeFixtures.ref;
import static dev.graft.core.recipe.RecipeFixtures.scalars;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Every recipe of testdata/vectors/merge/recipes, field by field. */
class RecipeVectorsTest {
    private static final List<ModelRef> FT = List.of(ref("ft1"), ref("ft2"), ref("ft3"));

    private static Recipe load(String name) {
        return Recipe.load(recipes().resolve(name));
    }

    @Test
    void everyVectorRecipeParsesAndKeepsItsText() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(recipes())) {
            files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        assertThat(files).hasSize(10);
        for (Path f : files) {
            Recipe r = Recipe.load(f);
            assertThat(r.sourceText()).isEqualTo(Files.readString(f));
            assertThat(r.source()).isEqualTo(f);
            assertThat(r.dtype()).contains(DType.F32);
            assertThat(r.outDtype()).contains(DType.BF16);
            assertThat(r.isSliced()).isFalse();
            assertThat(r.tokenizerSource()).isEmpty();
            assertThat(r.seed()).isEmpty();
            assertThat(r.chatTemplate()).isEmpty();
        }
    }

    @Test
    void ties() {
        Recipe r = load("ties.yml");
        assertThat(r.mergeMethod()).isEqualTo("ties");
        assertThat(r.baseModel()).contains(ref("base"));
        assertThat(r.listedModels()).isEqualTo(FT);
        assertThat(r.inputs()).containsExactly(ref("ft1"), ref("ft2"), ref("ft3"), ref("base"));
        List<InputModel> models = r.models().orElseThrow();
        assertThat(scalars(models.get(0).parameters())).containsExactly(entry("weight", 1.0), entry("density", 0.2));
        assertThat(scalars(models.get(1).parameters())).containsExactly(entry("weight", 1.0), entry("density", 0.3));
        assertThat(scalars(models.get(2).parameters())).containsExactly(entry("weight", 1.0), entry("density", 0.5));
        assertThat(models.get(2).parameters().location()).isEqualTo("models[2].parameters");
        assertThat(scalars(r.parameters())).containsExactly(entry("lambda", 1.0));
        assertThat(r.lines()).isEmpty();
    }

    @Test
    void tiesWeighted() {
        Recipe r = load("ties_weighted.yml");
        List<InputModel> models = r.models().orElseThrow();
        assertThat(models).extracting(InputModel::model).isEqualTo(FT);
        assertThat(scalars(models.get(0).parameters())).containsExactly(entry("weight", 1.0), entry("density", 0.5));
        assertThat(scalars(models.get(1).parameters())).containsExactly(entry("weight", 0.5), entry("density", 0.5));
        assertThat(scalars(models.get(2).parameters())).containsExactly(entry("weight", 0.25), entry("density", 0.5));
        assertThat(scalars(r.parameters())).containsExactly(entry("lambda", 1.2));
    }

    @Test
    void taskArithmeticKeepsNegativeWeightsAndBooleans() {
        Recipe r = load("task_arithmetic.yml");
        assertThat(r.mergeMethod()).isEqualTo("task_arithmetic");
        List<InputModel> models = r.models().orElseThrow();
        assertThat(scalars(models.get(0).parameters())).containsExactly(entry("weight", 1.0));
        assertThat(scalars(models.get(1).parameters())).containsExactly(entry("weight", 0.7));
        assertThat(scalars(models.get(2).parameters())).containsExactly(entry("weight", -0.4));
        assertThat(scalars(r.parameters())).containsExactly(entry("lambda", 0.8), entry("normalize", false));
    }

    @Test
    void linearHasNoBase() {
        Recipe r = load("linear.yml");
        assertThat(r.mergeMethod()).isEqualTo("linear");
        assertThat(r.baseModel()).isEmpty();
        assertThat(r.inputs()).isEqualTo(FT);
        List<InputModel> models = r.models().orElseThrow();
        assertThat(scalars(models.get(0).parameters())).containsExactly(entry("weight", 0.5));
        assertThat(scalars(models.get(1).parameters())).containsExactly(entry("weight", 0.3));
        assertThat(scalars(models.get(2).parameters())).containsExactly(entry("weight", 0.2));
        assertThat(r.parameters().isEmpty()).isTrue();
    }

    @Test
    void slerpListsItsBase() {
        Recipe r = load("slerp.yml");
        assertThat(r.mergeMethod()).isEqualTo("slerp");
        assertThat(r.listedModels()).containsExactly(ref("base"), ref("ft1"));
        assertThat(r.inputs()).containsExactly(ref("base"), ref("ft1"));
        assertThat(r.models().orElseThrow()).allSatisfy(m -> assertThat(m.parameters().isEmpty()).isTrue());
        assertThat(scalars(r.parameters())).containsExactly(entry("t", 0.3));
    }

    @Test
    void modelStockHasNoParameters() {
        Recipe r = load("model_stock.yml");
        assertThat(r.mergeMethod()).isEqualTo("model_stock");
        assertThat(r.listedModels()).isEqualTo(FT);
        assertThat(r.inputs()).containsExactly(ref("ft1"), ref("ft2"), ref("ft3"), ref("base"));
        assertThat(r.parameterBlocks()).allSatisfy(p -> assertThat(p.isEmpty()).isTrue());
    }

    @Test
    void breadcrumbs() {
        Recipe r = load("breadcrumbs.yml");
        assertThat(r.mergeMethod()).isEqualTo("breadcrumbs");
        List<InputModel> models = r.models().orElseThrow();
        assertThat(scalars(models.get(0).parameters()))
                .containsExactly(entry("weight", 1.0), entry("density", 0.9), entry("gamma", 0.01));
        assertThat(scalars(models.get(1).parameters()))
                .containsExactly(entry("weight", 1.0), entry("density", 0.8), entry("gamma", 0.01));
        assertThat(scalars(models.get(2).parameters()))
                .containsExactly(entry("weight", 0.5), entry("density", 0.9), entry("gamma", 0.01));
        assertThat(scalars(r.parameters())).containsExactly(entry("lambda", 1.0));
    }

    @Test
    void breadcrumbsTies() {
        Recipe r = load("breadcrumbs_ties.yml");
        assertThat(r.mergeMethod()).isEqualTo("breadcrumbs_ties");
        assertThat(r.models().orElseThrow()).allSatisfy(m -> assertThat(scalars(m.parameters()))
                .containsExactly(entry("weight", 1.0), entry("density", 0.7), entry("gamma", 0.02)));
    }

    @Test
    void linesOnTaskArithmetic() {
        Recipe r = load("lines_ta.yml");
        assertThat(r.mergeMethod()).isEqualTo("task_arithmetic");
        assertThat(r.lines()).contains(new LinesConfig(OptionalDouble.of(0.3333), 0.5));
        assertThat(scalars(r.parameters())).isEqualTo(Map.of("lambda", 1.0, "normalize", false));
    }

    @Test
    void linesOnTies() {
        Recipe r = load("lines_ties.yml");
        assertThat(r.mergeMethod()).isEqualTo("ties");
        assertThat(r.lines()).contains(new LinesConfig(OptionalDouble.of(0.4), 0.6));
        assertThat(r.lines().orElseThrow().isAutoAlpha()).isFalse();
        assertThat(r.models().orElseThrow()).allSatisfy(m -> assertThat(scalars(m.parameters()))
                .containsExactly(entry("weight", 1.0), entry("density", 0.3)));
        assertThat(r.slices()).isEqualTo(Optional.empty());
    }
}
