package dev.graft.evaluation.merge;

import dev.graft.evaluation.llama.ByteVocabulary;
import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.net.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

class LlamaMergerTest {
    private static final LlamaShape SHAPE = new LlamaShape(ByteVocabulary.SIZE, 8, 12, 2, 2, 1, 48, 10000, 1e-5);

    @TempDir
    Path dir;

    /** {@code base} plus a reproducible random delta of size {@code scale}. */
    private static LlamaWeights tuned(LlamaWeights base, long seed, double scale) {
        LlamaWeights t = base.copy();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < t.params().count(); i++) {
            float[] p = t.params().tensor(i);
            for (int j = 0; j < p.length; j++) {
                p[j] += (float) (rng.nextGaussian() * scale);
            }
        }
        return t;
    }

    @Test
    void taskArithmeticOnTheFoldersAddsTheScaledDeltas() throws Exception {
        LlamaWeights base = LlamaWeights.initial(SHAPE, 1);
        LlamaWeights a = tuned(base, 2, 0.01);
        LlamaWeights b = tuned(base, 3, 0.01);
        LlamaMerger merger = new LlamaMerger(base, List.of(a, b), dir, 0);
        LlamaWeights merged = merger.merge(new MergeSpec("ta", "task_arithmetic", Map.of("weight", 1.0),
                Map.of("lambda", 0.5)), List.of(0, 1));
        assertThat(merged.shape()).isEqualTo(SHAPE);
        Params da = a.params().minus(base.params());
        Params db = b.params().minus(base.params());
        Params dm = merged.params().minus(base.params());
        for (int t = 0; t < SHAPE.tensorCount(); t++) {
            for (int j = 0; j < dm.tensor(t).length; j++) {
                assertThat(dm.tensor(t)[j]).as("%s[%d]", SHAPE.names().get(t), j)
                        .isCloseTo(0.5f * (da.tensor(t)[j] + db.tensor(t)[j]), offset(2e-6f));
            }
        }
        // the merge wrote a Llama folder with the base's config, which graft score reads
        assertThat(Files.readString(dir.resolve("merged/config.json")))
                .isEqualTo(Files.readString(merger.base().resolve("config.json")));
    }

    @Test
    void tiesWithLinesKeepsTheShapeAndMovesTheWeights() {
        LlamaWeights base = LlamaWeights.initial(SHAPE, 1);
        LlamaMerger merger = new LlamaMerger(base, List.of(tuned(base, 2, 0.01), tuned(base, 3, 0.01),
                tuned(base, 4, 0.01)), dir, 0);
        MergeSpec ties = new MergeSpec("ties", "ties", Map.of("weight", 1.0, "density", 0.2), Map.of("lambda", 1.0))
                .withLines(OptionalDouble.empty(), 1.0);
        LlamaWeights merged = merger.merge(ties, List.of(0, 1, 2));
        Params d = merged.params().minus(base.params());
        int zeros = 0;
        int total = 0;
        for (int t = 0; t < d.count(); t++) {
            for (float v : d.tensor(t)) {
                zeros += v == 0 ? 1 : 0;
                total++;
            }
        }
        // density 0.2 of each of three deltas, the sign election dropping some: between 20 % and 60 % survive
        assertThat((double) (total - zeros) / total).isBetween(0.2, 0.6);
    }

    @Test
    void mergesDoNotDependOnTheThreadCount() {
        LlamaWeights base = LlamaWeights.initial(SHAPE, 1);
        List<LlamaWeights> tunes = List.of(tuned(base, 2, 0.01), tuned(base, 3, 0.01), tuned(base, 4, 0.01));
        LlamaMerger one = new LlamaMerger(base, tunes, dir.resolve("one"), 7);
        LlamaMerger two = new LlamaMerger(base, tunes, dir.resolve("two"), 7, 2);
        for (MergeSpec spec : List.of(
                new MergeSpec("dare_ties", "dare_ties", Map.of("weight", 1.0, "density", 0.3), Map.of("lambda", 1.0)),
                new MergeSpec("tsv", "tsv", Map.of(), Map.of("lambda", 1.0)),
                new MergeSpec("ties", "ties", Map.of("weight", 1.0, "density", 0.2), Map.of("lambda", 1.0))
                        .withLines(OptionalDouble.empty(), 1.0))) {
            Params a = one.merge(spec, 3).params();
            Params b = two.merge(spec, 3).params();
            for (int t = 0; t < a.count(); t++) {
                assertThat(b.tensor(t)).as("%s %s", spec.family(), SHAPE.names().get(t)).containsExactly(a.tensor(t));
            }
            float[] moved = a.minus(base.params()).tensor(0);
            assertThat(IntStream.range(0, moved.length).filter(j -> moved[j] != 0).count()).as(spec.family())
                    .isGreaterThan(moved.length / 10);
        }
        assertThatThrownBy(() -> new LlamaMerger(base, tunes, dir.resolve("none"), 7, 0))
                .hasMessage("threads must be at least 1: 0");
    }
}
