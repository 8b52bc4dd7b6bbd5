package dev.graft.cli.merge;

import dev.graft.cli.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.graft.cli.Cli.graft;
import static org.assertj.core.api.Assertions.assertThat;

/** A recipe of several documents runs as mergekit-multimerge runs it, and equals its steps run one by one. */
class MultiRecipeTest {
    @TempDir
    Path dir;

    private static String model(String name) {
        return Path.of(System.getProperty("graft.testdata", "../testdata")).toAbsolutePath().normalize()
                .resolve("vectors/merge/models").resolve(name).toString();
    }

    private static final String STEP_ONE = "merge_method: ties\nbase_model: " + model("base") + "\nmodels:\n"
            + "  - model: " + model("ft1") + "\n    parameters: {weight: 1, density: 0.5}\n"
            + "  - model: " + model("ft2") + "\n    parameters: {weight: 1, density: 0.5}\n";

    private static String stepTwo(String first) {
        return "merge_method: slerp\nbase_model: " + model("base") + "\nmodels:\n  - model: " + first
                + "\nparameters: {t: 0.3}\n";
    }

    @Test
    void runsTheDocumentsInDependencyOrderAndEqualsTheStepsByHand() throws IOException {
        // The final merge comes first in the file: order is by use, not by position.
        Path multi = dir.resolve("multi.yml");
        Files.writeString(multi, stepTwo("both") + "---\nname: both\n" + STEP_ONE);
        Path out = dir.resolve("final");
        Result r = graft("run", multi.toString(), "-q", "-o", out.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out().lines()).hasSize(2);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("multi.yml", "final");
        }

        Path one = dir.resolve("one.yml");
        Files.writeString(one, STEP_ONE);
        Path both = dir.resolve("by-hand/both");
        assertThat(graft("run", one.toString(), "-q", "-o", both.toString()).code()).isZero();
        Path two = dir.resolve("two.yml");
        Files.writeString(two, stepTwo(both.toString()));
        Path byHand = dir.resolve("by-hand/final");
        assertThat(graft("run", two.toString(), "-q", "-o", byHand.toString()).code()).isZero();
        assertThat(Files.readAllBytes(out.resolve("model.safetensors")))
                .isEqualTo(Files.readAllBytes(byHand.resolve("model.safetensors")));

        Path steps = dir.resolve("steps");
        assertThat(graft("run", multi.toString(), "-q", "--keep-intermediate", steps.toString(), "-o",
                dir.resolve("final2").toString()).code()).isZero();
        assertThat(Files.readAllBytes(steps.resolve("both/model.safetensors")))
                .isEqualTo(Files.readAllBytes(both.resolve("model.safetensors")));
    }

    @Test
    void everyProblemOfEveryDocumentIsReportedBeforeAnyWork() throws IOException {
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, "name: a\n" + stepTwo("b") + "---\nname: b\n" + stepTwo("a") + "---\nname: c\n"
                + stepTwo("nosuch") + "---\nname: c\n" + STEP_ONE + "---\n" + STEP_ONE.replace("ties", "tiez"));
        Result r = graft("run", bad.toString(), "-o", dir.resolve("out").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("""
                graft: 4 problems in the recipe, nothing was merged:
                  - BAD (document 5): merge_method: unknown merge method "tiez"; known: METHODS
                  - BAD (document 4): name: "c" names an earlier document too
                  - BAD (document 3): model "nosuch": no such file or folder, and no document is named so
                  - BAD (document 1): merges use each other in a cycle: a → b → a
                """.replace("BAD", bad.toString()).replace("METHODS",
                String.join(", ", dev.graft.core.method.MethodRegistry.load().names())));
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
