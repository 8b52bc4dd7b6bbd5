package dev.graft.core.recipe;

import dev.graft.core.recipe.ParameterSetting.Scalar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shared helpers: the repo's recipe vectors and scalar views of parameter blocks. */
final class RecipeFixtures {
    private RecipeFixtures() {
    }

    /** {@code testdata/vectors/merge/recipes}, located through Surefire's {@code graft.testdata}. */
    static Path recipes() {
        Path root = Path.of(System.getProperty("graft.testdata", "../testdata")).toAbsolutePath().normalize();
        Path dir = root.resolve("vectors/merge/recipes");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("recipe vectors not found: " + dir);
        }
        return dir;
    }

    static Recipe parse(String yaml) {
        return Recipe.parse(yaml, Path.of("test.yml"));
    }

    /** The block's settings, each of which must be a scalar, as name → value in recipe order. */
    static Map<String, Object> scalars(Parameters p) {
        Map<String, Object> out = new LinkedHashMap<>();
        p.settings().forEach((k, v) -> out.put(k, ((Scalar) v).value()));
        return out;
    }

    static ModelRef ref(String s) {
        return ModelRef.parse(s);
    }
}
