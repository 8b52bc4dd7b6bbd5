package dev.graft.evaluation.merge;

import dev.graft.evaluation.net.Params;
import dev.graft.evaluation.net.Trunk;
import dev.graft.evaluation.net.TrunkShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TrunkMergerTest {
    private static final TrunkShape SHAPE = new TrunkShape(3, 4, 5, 2);

    @TempDir
    Path dir;

    private static Trunk shifted(Trunk base, float by) {
        Trunk t = base.copy();
        for (int i = 0; i < t.params().count(); i++) {
            float[] p = t.params().tensor(i);
            for (int j = 0; j < p.length; j++) {
                p[j] += by;
            }
        }
        return t;
    }

    @Test
    void checkpointRoundTripsExactly() {
        Trunk t = Trunk.initial(SHAPE, new SplittableRandom(5));
        Trunk back = TrunkCheckpoint.read(SHAPE, TrunkCheckpoint.write(t, dir.resolve("t.safetensors")));
        for (int i = 0; i < SHAPE.tensorCount(); i++) {
            assertThat(back.params().tensor(i)).containsExactly(t.params().tensor(i));
        }
    }

    @Test
    void mergesThroughGraftsMethods() {
        Trunk base = Trunk.initial(SHAPE, new SplittableRandom(5));
        TrunkMerger merger = new TrunkMerger(base, List.of(shifted(base, 0.5f), shifted(base, -0.25f)), dir, 0);
        Trunk ta = merger.merge(new MergeSpec("ta", "task_arithmetic", Map.of("weight", 1.0),
                Map.of("lambda", 0.5)), 2);
        Params d = ta.minus(base);
        for (int i = 0; i < d.count(); i++) {
            for (float v : d.tensor(i)) {
                assertThat(v).isCloseTo(0.125f, org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
        Trunk negated = merger.mergeOne(new MergeSpec("neg", "task_arithmetic", Map.of("weight", -1.0),
                Map.of("lambda", 2.0)), 0);
        assertThat(negated.minus(base).tensor(3)[0]).isCloseTo(-1f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(merger.merges()).isEqualTo(2);
    }

    @Test
    void linesScalesDeeperBlocksMore() {
        Trunk base = Trunk.initial(SHAPE, new SplittableRandom(5));
        TrunkMerger merger = new TrunkMerger(base, List.of(shifted(base, 1f), shifted(base, 1f)), dir, 0);
        // weights 1/2 and auto alpha: alpha = 1, block 0 scaled 1, block 1 (the last) 1 + beta
        MergeSpec averaging = new MergeSpec("averaging", "task_arithmetic", Map.of("weight", 0.5), Map.of());
        Params d = merger.merge(averaging.withLines(OptionalDouble.empty(), 0.5), 2).minus(base);
        assertThat(d.tensor(0)[0]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(d.tensor(2)[0]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(d.tensor(6)[0]).isCloseTo(1.5f, org.assertj.core.data.Offset.offset(1e-5f));
        // fixed alpha 0.5, beta 1: outside blocks and block 0 at 0.5, the last block at 1.5
        Params f = merger.merge(averaging.withLines(OptionalDouble.of(0.5), 1.0), 2).minus(base);
        assertThat(f.tensor(1)[0]).isCloseTo(0.5f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(f.tensor(3)[0]).isCloseTo(0.5f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(f.tensor(9)[0]).isCloseTo(1.5f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(averaging.withLines(OptionalDouble.of(0.5), 1.0).describe()).isEqualTo("alpha=0.5 beta=1.0");
        assertThat(averaging.withLines(OptionalDouble.empty(), 0.25).describe()).isEqualTo("alpha=auto beta=0.25");
    }
}
