package dev.graft.core.vocab;

import dev.graft.core.vocab.EmbeddingRows.RowSetting;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rule of the fallback chain on hand-made permutations. Input j's row r holds {@code 100j + 10r + column}
 * (width 2), so each rebuilt value names where it came from.
 */
class EmbeddingRowsTest {
    /** A [rows, 2] matrix whose row r of input j is (100j + 10r, 100j + 10r + 1). */
    private static Tensor matrix(int j, int rows) {
        float[] v = new float[rows * 2];
        for (int r = 0; r < rows; r++) {
            v[2 * r] = 100 * j + 10 * r;
            v[2 * r + 1] = 100 * j + 10 * r + 1;
        }
        return Tensor.fromFloats("embed_tokens.weight", DType.F32, Shape.of(rows, 2), v);
    }

    private static float[] rebuilt(EmbeddingRows rows, Tensor[] inputs, int j) {
        float[] out = new float[rows.rows() * 2];
        rows.reader(inputs).read(j, 0, out, 0, out.length);
        return out;
    }

    // Output ids: 0 all three have it; 1 base and ft1 (base row wins); 2 ft1 and ft2 (mean); 3 only ft2; 4 nobody.
    private static final List<int[]> PERMUTATIONS = List.of(
            new int[]{0, 1, -1, -1, -1},   // base
            new int[]{0, 2, 1, -1, -1},    // ft1
            new int[]{3, -1, 0, 1, -1});   // ft2
    private static final Tensor[] INPUTS = {matrix(0, 2), matrix(1, 3), matrix(2, 4)};

    @Test
    void ownRowsThenOnlyModelThenBaseThenMeanThenZero() {
        EmbeddingRows rows = EmbeddingRows.decide(PERMUTATIONS, 0, new RowSetting[5], 5);
        assertThat(rebuilt(rows, INPUTS, 0)).containsExactly(
                0, 1,       // own row 0
                10, 11,     // own row 1
                155, 156,   // mean of ft1 row 1 (110) and ft2 row 0 (200), the base lacking it
                210, 211,   // only ft2 has it: its row 1
                0, 0);      // nobody: zeros
        assertThat(rebuilt(rows, INPUTS, 1)).containsExactly(
                100, 101,
                120, 121,   // its own row 2, though the base has the token
                110, 111,
                210, 211,
                0, 0);
        assertThat(rebuilt(rows, INPUTS, 2)).containsExactly(
                230, 231,
                10, 11,     // lacking it: the base's row 1, not ft1's
                200, 201,
                210, 211,
                0, 0);
        assertThat(rows.zeroRows()).containsExactly(4);
        assertThat(rows.fallbackCount(0)).isEqualTo(3);
        assertThat(rows.maxRowRead(2)).isEqualTo(3);
    }

    @Test
    void withoutABaseTwoHoldersAreAveraged() {
        EmbeddingRows rows = EmbeddingRows.decide(PERMUTATIONS, -1, new RowSetting[5], 5);
        // id 1: base (10) and ft1 (120) have it; no base model, so the mean 65 for ft2
        assertThat(rebuilt(rows, INPUTS, 2)).startsWith(230, 231, 65, 66);
    }

    @Test
    void aPerTokenSettingFillsTheGapsAndForceReplacesOwnRows() {
        RowSetting[] settings = new RowSetting[5];
        settings[1] = new RowSetting(2, 3, false);      // ft2's row 3 for those lacking id 1
        settings[2] = new RowSetting(0, 0, true);       // base's row 0 for everyone, forced
        settings[4] = RowSetting.zero(false);
        EmbeddingRows rows = EmbeddingRows.decide(PERMUTATIONS, 0, settings, 5);
        assertThat(rebuilt(rows, INPUTS, 2)).containsExactly(230, 231, 230, 231, 0, 1, 210, 211, 0, 0);
        assertThat(rebuilt(rows, INPUTS, 1)).containsExactly(100, 101, 120, 121, 0, 1, 210, 211, 0, 0);
        assertThat(rows.zeroRows()).isEmpty();
    }

    @Test
    void paddingRowsTakeTheMeanOfTheRebuiltRealRows() {
        EmbeddingRows rows = EmbeddingRows.decide(PERMUTATIONS, 0, new RowSetting[5], 8);
        float[] base = rebuilt(rows, INPUTS, 0);
        // real rows of the base: 0, 10, 155, 210, 0 → mean 75; second column 1, 11, 156, 211, 0 → 75.8
        for (int r = 5; r < 8; r++) {
            assertThat(base[2 * r]).isEqualTo(75f);
            assertThat(base[2 * r + 1]).isEqualTo(75.8f);
        }
        // a window that starts inside the padding reads the same
        float[] tail = new float[2];
        rows.reader(INPUTS).read(0, 6 * 2, tail, 0, 2);
        assertThat(tail).containsExactly(75f, 75.8f);
    }
}
