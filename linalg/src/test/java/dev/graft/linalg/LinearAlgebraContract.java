package dev.graft.linalg;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The assertions every {@link LinearAlgebra} backend must pass: row-major layout, GEMM in every transpose
 * combination against a plain loop, QR orthogonality, SVD against a float64 reference, randomized SVD energy and
 * determinism. A backend's test extends this class and names the backend; the CPU one runs everywhere, others
 * (CUDA) only where their natives load.
 */
public abstract class LinearAlgebraContract {
    /** The backend under test. */
    protected final LinearAlgebra la = backend();

    /** The backend under test, loaded (a subclass may skip itself by an assumption here). */
    protected abstract LinearAlgebra backend();

    @Test
    public void matrixIsRowMajor() {
        try (Matrix a = la.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)) {
            assertThat(a.get(0, 2)).isEqualTo(3f);
            assertThat(a.get(1, 0)).isEqualTo(4f);
            a.set(1, 2, -7f);
            assertThat(a.toArray()).containsExactly(1, 2, 3, 4, 5, -7);
            assertThat(a.frobeniusNormSquared()).isEqualTo(1 + 4 + 9 + 16 + 25 + 49.0);
            try (Matrix t = a.transpose()) {
                assertThat(t.rows()).isEqualTo(3);
                assertThat(t.toArray()).containsExactly(1, 4, 2, 5, 3, -7);
            }
            assertThatThrownBy(() -> a.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("(2, 0) outside a 2×3 matrix");
        }
    }

    @Test
    public void multiplyHonoursEveryTransposeCombination() {
        Random random = new Random(1);
        float[] a = randomArray(random, 5 * 7);
        float[] b = randomArray(random, 7 * 4);
        float[] expected = naiveProduct(a, 5, 7, b, 4);
        float[] at = transpose(a, 5, 7);
        float[] bt = transpose(b, 7, 4);
        try (Matrix ma = la.of(a, 5, 7); Matrix mb = la.of(b, 7, 4); Matrix mat = la.of(at, 7, 5);
             Matrix mbt = la.of(bt, 4, 7);
             Matrix c1 = la.multiply(ma, false, mb, false); Matrix c2 = la.multiply(mat, true, mb, false);
             Matrix c3 = la.multiply(ma, false, mbt, true); Matrix c4 = la.multiply(mat, true, mbt, true)) {
            for (Matrix c : new Matrix[] {c1, c2, c3, c4}) {
                assertThat(c.rows()).isEqualTo(5);
                assertThat(c.cols()).isEqualTo(4);
                float[] got = c.toArray();
                for (int i = 0; i < expected.length; i++) {
                    assertThat(got[i]).isCloseTo(expected[i], within(1e-5f));
                }
            }
        }
    }

    @Test
    public void multiplyRejectsMismatchedShapes() {
        try (Matrix a = la.zeros(3, 4); Matrix b = la.zeros(5, 2)) {
            assertThatThrownBy(() -> la.multiply(a, false, b, false)).isInstanceOf(LinearAlgebraException.class)
                    .hasMessage("cannot multiply 3×4 by 5×2: inner dimensions 4 and 5 differ");
        }
    }

    @Test
    public void orthonormalBasisOfTallAndWideMatrices() {
        Random random = new Random(2);
        for (int[] shape : new int[][] {{40, 6}, {6, 40}, {9, 9}}) {
            int m = shape[0];
            int n = shape[1];
            try (Matrix a = la.of(randomArray(random, m * n), m, n); Matrix q = la.orthonormalBasis(a);
                 Matrix qtq = la.multiply(q, true, q, false); Matrix qta = la.multiply(q, true, a, false);
                 Matrix projected = la.multiply(q, false, qta, false)) {
                int k = Math.min(m, n);
                assertThat(q.rows()).isEqualTo(m);
                assertThat(q.cols()).isEqualTo(k);
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        assertThat(qtq.get(i, j)).isCloseTo(i == j ? 1f : 0f, within(1e-5f));
                    }
                }
                // Q spans the columns of a: projecting a onto Q changes nothing.
                float[] original = a.toArray();
                float[] back = projected.toArray();
                for (int i = 0; i < original.length; i++) {
                    assertThat(back[i]).isCloseTo(original[i], within(1e-4f));
                }
            }
        }
    }

    @Test
    public void svdOfAKnownSpectrum() {
        // A signed permutation scaled by s has exactly the singular values s; u and vt are its signed unit columns.
        float[] s = {9, 4, 2.5f, 1, 0.25f};
        int[] rowOf = {3, 0, 6, 1, 4};
        int m = 7;
        int n = 5;
        float[] values = new float[m * n];
        for (int j = 0; j < n; j++) {
            values[rowOf[j] * n + (j * 3) % n] = (j % 2 == 0 ? 1 : -1) * s[j];
        }
        try (Matrix a = la.of(values, m, n); Svd svd = la.svd(a)) {
            assertThat(svd.s()).containsExactly(s, within(1e-5f));
            assertThat(reconstruct(svd)).satisfies(r -> assertClose(r, values, 1e-5f));
        }
    }

    @Test
    public void svdMatchesACommonsMathFloat64Reference() {
        Random random = new Random(3);
        for (int[] shape : new int[][] {{30, 12}, {12, 30}}) {
            int m = shape[0];
            int n = shape[1];
            float[] values = randomArray(random, m * n);
            double[] reference = new SingularValueDecomposition(toReal(values, m, n)).getSingularValues();
            try (Matrix a = la.of(values, m, n); Svd svd = la.svd(a)) {
                assertThat(svd.rank()).isEqualTo(Math.min(m, n));
                for (int i = 0; i < svd.rank(); i++) {
                    assertThat((double) svd.s()[i]).isCloseTo(reference[i], within(1e-4 * reference[0]));
                }
                assertThat(reconstruct(svd)).satisfies(r -> assertClose(r, values, 1e-4f));
                assertThat(a.toArray()).containsExactly(values);
            }
        }
    }

    @Test
    public void symmetricEigenOfAKnownGramMatrix() {
        // Eigenvalues 5, 3, 1 with eigenvectors e₃, (1, 1, 0)/√2, (1, −1, 0)/√2.
        float[] values = {2, 1, 0, 1, 2, 0, 0, 0, 5};
        try (Matrix a = la.of(values, 3, 3); SymmetricEigen eigen = la.symmetricEigen(a)) {
            assertThat(eigen.values()).containsExactly(new float[] {5, 3, 1}, within(1e-6f));
            float h = (float) Math.sqrt(0.5);
            float[] v = eigen.vectors().toArray();
            float[][] expected = {{0, 0, 1}, {h, h, 0}, {h, -h, 0}};
            int[] nonZero = {2, 0, 0};
            for (int j = 0; j < 3; j++) {
                // An eigenvector's sign is free: compare up to it.
                float sign = Math.signum(v[nonZero[j] * 3 + j]);
                for (int i = 0; i < 3; i++) {
                    assertThat(sign * v[i * 3 + j]).as("vector %d, element %d", j, i)
                            .isCloseTo(expected[j][i], within(1e-6f));
                }
            }
            assertThat(a.toArray()).containsExactly(values);
        }
    }

    @Test
    public void symmetricEigenRefusesANonSquareMatrix() {
        try (Matrix a = la.zeros(2, 3)) {
            assertThatThrownBy(() -> la.symmetricEigen(a).close()).isInstanceOf(LinearAlgebraException.class)
                    .hasMessage("an eigendecomposition needs a square matrix, got 2×3");
        }
    }

    @Test
    public void svdReportsNonFiniteInput() {
        try (Matrix a = la.of(new float[] {1, Float.NaN, 3, 4}, 2, 2)) {
            assertThatThrownBy(() -> la.svd(a).close()).isInstanceOf(LinearAlgebraException.class)
                    .hasMessageContaining("2×2");
        }
    }

    @Test
    public void randomizedSvdRecoversALowRankMatrixWithNoise() {
        int m = 300;
        int n = 200;
        int k = 8;
        float[] values = lowRankPlusNoise(new Random(4), m, n, k, 1e-3f);
        double[] reference = new SingularValueDecomposition(toReal(values, m, n)).getSingularValues();
        try (Matrix a = la.of(values, m, n); Svd svd = la.randomizedSvd(a, RandomizedSvdOptions.rank(k))) {
            assertThat(svd.rank()).isEqualTo(k);
            assertThat(svd.u().rows()).isEqualTo(m);
            assertThat(svd.vt().cols()).isEqualTo(n);
            for (int i = 0; i < k; i++) {
                assertThat((double) svd.s()[i]).isCloseTo(reference[i], within(1e-4 * reference[0]));
            }
            double exactEnergy = 0;
            for (int i = 0; i < k; i++) {
                exactEnergy += reference[i] * reference[i];
            }
            assertThat(svd.energy(k)).isCloseTo(exactEnergy, within(1e-4 * exactEnergy));
            float[] back = reconstruct(svd);
            double err = 0;
            double norm = 0;
            for (int i = 0; i < values.length; i++) {
                err += Math.pow(back[i] - values[i], 2);
                norm += (double) values[i] * values[i];
            }
            // What is left is the noise: ~1e-3 per element against elements of order 1.
            assertThat(Math.sqrt(err / norm)).isLessThan(3e-3);
        }
    }

    @Test
    public void moreIterationsUnderAnEnergyToleranceCloseTheGapOnASlowlyDecayingSpectrum() {
        int m = 600;
        int n = 500;
        int rank = 20;
        try (Matrix a = powerLawPlusNoise(m, n); Svd exact = la.svd(a)) {
            double total = a.frobeniusNormSquared();
            double best = exact.energy(rank) / total;
            RandomizedSvdOptions fixed = new RandomizedSvdOptions(rank, 5, 1, 3, 0);
            try (Svd once = la.randomizedSvd(a, fixed);
                 Svd adaptive = la.randomizedSvd(a, fixed.withEnergyTolerance(1e-4))) {
                double fixedGap = best - once.energy(rank) / total;
                double adaptiveGap = best - adaptive.energy(rank) / total;
                assertThat(fixedGap).isGreaterThan(2e-3);
                assertThat(adaptiveGap).isGreaterThanOrEqualTo(-1e-6).isLessThan(1e-3).isLessThan(fixedGap / 4);
            }
        }
    }

    @Test
    public void energyToleranceMustBeAShare() {
        assertThatThrownBy(() -> RandomizedSvdOptions.rank(4).withEnergyTolerance(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("randomized SVD energy tolerance must be in [0, 1), got 1.5");
    }

    /** u · diag(1/k) · vᵀ with random orthonormal u and v, plus noise: a spectrum without a clear low-rank part. */
    private Matrix powerLawPlusNoise(int m, int n) {
        int k = Math.min(m, n);
        try (Matrix gu = la.gaussian(m, k, 1); Matrix gv = la.gaussian(n, k, 2);
             Matrix u = la.orthonormalBasis(gu); Matrix v = la.orthonormalBasis(gv)) {
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < k; c++) {
                    u.set(r, c, u.get(r, c) / (c + 1));
                }
            }
            Matrix a = la.multiply(u, false, v, true);
            try (Matrix noise = la.gaussian(m, n, 3)) {
                for (int r = 0; r < m; r++) {
                    for (int c = 0; c < n; c++) {
                        a.set(r, c, a.get(r, c) + 2e-3f * noise.get(r, c));
                    }
                }
            }
            return a;
        }
    }

    @Test
    public void randomizedSvdIsDeterministicInItsSeed() {
        float[] values = lowRankPlusNoise(new Random(5), 120, 90, 5, 0.05f);
        try (Matrix a = la.of(values, 120, 90);
             Svd first = la.randomizedSvd(a, RandomizedSvdOptions.rank(5).withSeed(9));
             Svd second = la.randomizedSvd(a, RandomizedSvdOptions.rank(5).withSeed(9))) {
            assertThat(first.s()).containsExactly(second.s());
            assertThat(first.u().toArray()).containsExactly(second.u().toArray());
            assertThat(first.vt().toArray()).containsExactly(second.vt().toArray());
        }
    }

    @Test
    public void randomizedSvdFallsBackToExactWhenTheSketchSpansEverything() {
        float[] values = randomArray(new Random(6), 20 * 15);
        try (Matrix a = la.of(values, 20, 15); Svd exact = la.svd(a);
             Svd randomized = la.randomizedSvd(a, RandomizedSvdOptions.rank(6))) {
            assertThat(randomized.rank()).isEqualTo(6);
            for (int i = 0; i < 6; i++) {
                assertThat(randomized.s()[i]).isEqualTo(exact.s()[i]);
            }
        }
    }

    @Test
    public void truncateKeepsTheLeadingTriplets() {
        float[] values = randomArray(new Random(7), 10 * 8);
        try (Matrix a = la.of(values, 10, 8); Svd svd = la.svd(a); Svd three = svd.truncate(3)) {
            assertThat(three.s()).containsExactly(svd.s()[0], svd.s()[1], svd.s()[2]);
            assertThat(three.u().rows()).isEqualTo(10);
            assertThat(three.u().cols()).isEqualTo(3);
            assertThat(three.u().get(9, 2)).isEqualTo(svd.u().get(9, 2));
            assertThat(three.vt().get(2, 7)).isEqualTo(svd.vt().get(2, 7));
            assertThatThrownBy(() -> svd.truncate(9)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot truncate a rank-8 SVD to rank 9");
        }
    }

    @Test
    public void gaussianIsStandardNormalAndDeterministic() {
        try (Matrix g = la.gaussian(400, 250, 42); Matrix same = la.gaussian(400, 250, 42);
             Matrix other = la.gaussian(400, 250, 43)) {
            float[] values = g.toArray();
            assertThat(values).containsExactly(same.toArray());
            assertThat(other.get(0, 0)).isNotEqualTo(g.get(0, 0));
            double mean = 0;
            double squares = 0;
            for (float v : values) {
                mean += v;
                squares += (double) v * v;
            }
            mean /= values.length;
            double variance = squares / values.length - mean * mean;
            // 100,000 samples: the standard error of the mean is 0.0032.
            assertThat(mean).isCloseTo(0, within(0.015));
            assertThat(variance).isCloseTo(1, within(0.02));
        }
    }

    static float[] lowRankPlusNoise(Random random, int m, int n, int k, float noise) {
        float[] left = randomArray(random, m * k);
        float[] right = randomArray(random, k * n);
        float[] product = naiveProduct(left, m, k, right, n);
        for (int i = 0; i < product.length; i++) {
            product[i] += noise * (float) random.nextGaussian();
        }
        return product;
    }

    private static float[] reconstruct(Svd svd) {
        int m = svd.u().rows();
        int n = svd.vt().cols();
        float[] s = svd.s();
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int r = 0; r < s.length; r++) {
                    sum += (double) svd.u().get(i, r) * s[r] * svd.vt().get(r, j);
                }
                out[i * n + j] = (float) sum;
            }
        }
        return out;
    }

    private static void assertClose(float[] actual, float[] expected, float tolerance) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).isCloseTo(expected[i], within(tolerance));
        }
    }

    private static float[] randomArray(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    private static float[] naiveProduct(float[] a, int m, int inner, float[] b, int n) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < inner; p++) {
                    sum += (double) a[i * inner + p] * b[p * n + j];
                }
                c[i * n + j] = (float) sum;
            }
        }
        return c;
    }

    /** A row-major m × n float matrix as Commons Math's, the tests' float64 reference. */
    public static Array2DRowRealMatrix toReal(float[] values, int m, int n) {
        double[][] rows = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                rows[i][j] = values[i * n + j];
            }
        }
        return new Array2DRowRealMatrix(rows, false);
    }
}
