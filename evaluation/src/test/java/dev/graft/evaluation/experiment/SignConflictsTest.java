package dev.graft.evaluation.experiment;

import dev.graft.evaluation.net.Params;
import dev.graft.evaluation.net.Trunk;
import dev.graft.evaluation.net.TrunkShape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SignConflictsTest {
    private static final TrunkShape SHAPE = new TrunkShape(1, 1, 1, 1);

    private static Trunk trunk(float... v) {
        float[][] t = new float[SHAPE.tensorCount()][];
        for (int i = 0; i < t.length; i++) {
            t[i] = new float[] {v[i]};
        }
        return new Trunk(SHAPE, new Params(t));
    }

    @Test
    void countsParametersWhoseKeptEntriesDisagree() {
        Trunk base = trunk(0, 0, 0, 0, 0, 0);
        // six parameters; at density 1 every non-zero entry is kept
        Trunk a = trunk(1, 1, -1, 2, 0, 1);
        Trunk b = trunk(1, -1, -2, -3, 5, 0);
        Trunk c = trunk(-1, 0, 0, 0, 0, 0);
        // shared (≥ 2 non-zero): params 0, 1, 2, 3 → conflicts at 0, 1, 3
        assertThat(SignConflicts.rate(base, List.of(a, b, c), 1.0)).isEqualTo(0.75);
    }
}
