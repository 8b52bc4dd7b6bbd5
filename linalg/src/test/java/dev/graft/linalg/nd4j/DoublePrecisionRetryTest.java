package dev.graft.linalg.nd4j;

import dev.graft.linalg.LinearAlgebraContract;
import dev.graft.linalg.LinearAlgebraException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The SVD's retry where {@code sgesdd} does not converge: {@link Nd4jLinearAlgebra#inDoublePrecision} against
 * Commons Math's float64 SVD, on the shapes that retry meets (tall, wide, square with a cluster of equal singular
 * values, as the stacked V of an {@code iso_cts} merge that made {@code sgesdd} fail has).
 */
class DoublePrecisionRetryTest {
    private final Nd4jLinearAlgebra la = Nd4jLinearAlgebra.instance();

    /** Rows 0 … c−1 orthonormal (singular value 1, c times), the rest Gaussian. */
    private static float[] values(long seed, int m, int n, int cluster) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] q = new double[cluster][n];
        for (int i = 0; i < cluster; i++) {
            for (int j = 0; j < n; j++) {
                q[i][j] = random.nextGaussian();
            }
            for (int p = 0; p < i; p++) {
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += q[i][j] * q[p][j];
                }
                for (int j = 0; j < n; j++) {
                    q[i][j] -= dot * q[p][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < n; j++) {
                norm += q[i][j] * q[i][j];
            }
            for (int j = 0; j < n; j++) {
                q[i][j] /= Math.sqrt(norm);
            }
        }
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = (float) (i < cluster ? q[i][j] : random.nextGaussian() / 4);
            }
        }
        return out;
    }

    private void check(int m, int n, int cluster) {
        float[] v = values(m * 131L + n, m, n, cluster);
        int k = Math.min(m, n);
        SingularValueDecomposition exact = new SingularValueDecomposition(LinearAlgebraContract.toReal(v, m, n));
        try (Nd4jMatrix a = (Nd4jMatrix) la.of(v, m, n); Nd4jMatrix u = (Nd4jMatrix) la.zeros(m, k);
             Nd4jMatrix vt = (Nd4jMatrix) la.zeros(k, n)) {
            float[] s = Nd4jLinearAlgebra.inDoublePrecision(a, u, vt);
            double[] reference = exact.getSingularValues();
            for (int j = 0; j < k; j++) {
                assertThat((double) s[j]).as("σ%d of %dx%d", j, m, n).isCloseTo(reference[j], within(1e-6 * reference[0]));
            }
            RealMatrix us = LinearAlgebraContract.toReal(u.toArray(), m, k);
            for (int j = 0; j < k; j++) {
                us.setColumnVector(j, us.getColumnVector(j).mapMultiply(s[j]));
            }
            RealMatrix rebuilt = us.multiply(LinearAlgebraContract.toReal(vt.toArray(), k, n));
            RealMatrix input = LinearAlgebraContract.toReal(v, m, n);
            assertThat(rebuilt.subtract(input).getFrobeniusNorm() / input.getFrobeniusNorm()).as("%dx%d", m, n)
                    .isLessThan(1e-6);
            RealMatrix gram = LinearAlgebraContract.toReal(vt.toArray(), k, n).multiply(LinearAlgebraContract.toReal(vt.toArray(), k, n).transpose());
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    assertThat(gram.getEntry(i, j)).isCloseTo(i == j ? 1 : 0, within(1e-6));
                }
            }
            assertThat(a.toArray()).as("the input is left as it was").containsExactly(v);
        }
    }

    @Test
    void theFloat64RetryMatchesTheExactSvdOnTallWideAndClusteredMatrices() {
        check(40, 24, 0);
        check(24, 40, 0);
        check(48, 48, 36);
    }

    @Test
    void theRetryReportsNonFiniteInput() {
        try (Nd4jMatrix a = (Nd4jMatrix) la.of(new float[] {1, Float.NaN, 3, 4}, 2, 2);
             Nd4jMatrix u = (Nd4jMatrix) la.zeros(2, 2); Nd4jMatrix vt = (Nd4jMatrix) la.zeros(2, 2)) {
            assertThatThrownBy(() -> Nd4jLinearAlgebra.inDoublePrecision(a, u, vt))
                    .isInstanceOf(LinearAlgebraException.class).hasMessageContaining("2×2");
        }
    }
}
