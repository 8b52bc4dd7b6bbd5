package dev.graft.cli.merge;

import dev.graft.cli.Cli.Result;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.graft.cli.Cli.graft;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code graft run} on the shipped recipes of sce, ram, ramplus_tl, nearswap and arcee_fusion, and {@code graft
 * merge} with the flags that say the same, write the same bytes (the values themselves are checked against
 * independent references in the algorithms module's SelectiveParityTest).
 */
class SelectiveMethodsCommandTest {
    @TempDir
    Path dir;

    private static Path vectors() {
        return Path.of(System.getProperty("graft.testdata", "../testdata")).toAbsolutePath().normalize()
                .resolve("vectors/merge");
    }

    private static String model(String name) {
        return vectors().resolve("models").resolve(name).toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sce          | ft1 ft2 ft3 | --select-topk 0.3",
            "ram          | ft1 ft2 ft3 | --epsilon 0.005",
            "ramplus_tl   | ft1 ft2 ft3 | --r 0.5 --alpha 0.8 --epsilon 0.005",
            "nearswap     | ft1         | --t 0.005",
            "arcee_fusion | ft1         | ''"})
    void recipeAndFlagsWriteTheSameBytes(String method, String fineTunes, String flags) throws Exception {
        Path recipe = dir.resolve(method + ".yml");
        // Recipe paths resolve against the working directory; the test's is the module's, so make them absolute.
        Files.writeString(recipe, Files.readString(vectors().resolve("../../recipes/" + method + ".yml").normalize())
                .replace("base_model: base", "base_model: " + model("base"))
                .replace("model: base", "model: " + model("base"))
                .replace("model: ft", "model: " + vectors().resolve("models") + "/ft"));
        Path fromRecipe = dir.resolve(method + "-run.safetensors");
        Result run = graft("run", recipe.toString(), "-o", fromRecipe.toString(), "-q");
        assertThat(run.err()).isEmpty();
        assertThat(run.code()).isZero();
        List<String> args = new ArrayList<>(List.of("merge", method));
        for (String ft : fineTunes.split(" ")) {
            args.add(model(ft));
        }
        args.addAll(List.of("--base", model("base")));
        if (!flags.isEmpty()) {
            args.addAll(List.of(flags.split(" ")));
        }
        Path fromFlags = dir.resolve(method + "-merge.safetensors");
        args.addAll(List.of("--dtype", "float32", "--out-dtype", "bfloat16", "-o", fromFlags.toString(), "-q"));
        Result merge = graft(args.toArray(String[]::new));
        assertThat(merge.err()).isEmpty();
        assertThat(merge.code()).isZero();
        assertThat(merge.out()).contains(" with " + method + " into ");
        assertThat(Files.readAllBytes(fromFlags)).isEqualTo(Files.readAllBytes(fromRecipe));
    }

    @Test
    void epsilonOfRamIsOneValueNotOnePerModel() {
        Result r = graft("merge", "ram", model("ft1"), model("ft2"), "--base", model("base"), "--epsilon", "0.01,0.02",
                "-o", dir.resolve("x.safetensors").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("graft: --epsilon takes 1 value with ram (one for the tensor, not per MODEL), "
                + "got 2\n");
    }

    @Test
    void aMissingBaseIsNamed() {
        Result r = graft("merge", "nearswap", model("ft1"), model("ft2"), "--t", "0.01",
                "-o", dir.resolve("x.safetensors").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: nearswap needs a base model; give one with --base\n");
    }
}
