package dev.graft.algorithms.kernels;

import dev.graft.core.kernel.TensorParameters;
import dev.graft.formats.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ModelStockKernelTest {
    private static float[] run(boolean filterWise, int rowsPerChunk, float[]... inputs) {
        float[] out = new float[inputs[0].length];
        int[] pos = {0};
        new ModelStockKernel().merge(new ArrayInputs(Shape.of(2, 2), 0, rowsPerChunk, inputs),
                new TensorParameters("w", List.of("base", "ft1", "ft2"), List.of(Map.of(), Map.of(), Map.of()), Map.of("filter_wise", filterWise), 0, 1),
                (v, from, n) -> {
                    System.arraycopy(v, from, out, pos[0], n);
                    pos[0] += n;
                });
        return out;
    }

    @Test
    void filterWiseInterpolatesEachRowByItsOwnAngle() {
        float[] base = {0, 0, 1, 1};
        // Row 0: offsets (1,0) and (0,1) are orthogonal: cos 0, t = 0, the base row.
        // Row 1: offsets (2,2) and (2,2) agree: cos 1, t = 2·1/(1+1) = 1, the fine-tunes' mean.
        float[] ft1 = {1, 0, 3, 3};
        float[] ft2 = {0, 1, 3, 3};
        assertThat(run(true, 1, base, ft1, ft2)).containsExactly(0, 0, 3, 3);
        assertThat(run(true, 2, base, ft1, ft2)).containsExactly(0, 0, 3, 3);
    }

    @Test
    void wholeTensorUsesOneAngle() {
        float[] base = {0, 0, 1, 1};
        float[] ft1 = {1, 0, 3, 3};
        float[] ft2 = {0, 1, 3, 3};
        // offsets o1 = (1,0,2,2), o2 = (0,1,2,2): cos = 8/9, t = 2·(8/9) / (1 + 8/9) = 16/17
        float t = 16f / 17f;
        float[] expected = new float[4];
        for (int e = 0; e < 4; e++) {
            expected[e] = t * ((ft1[e] + ft2[e]) / 2) + (1 - t) * base[e];
        }
        assertThat(run(false, 1, base, ft1, ft2)).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-6f));
    }
}
