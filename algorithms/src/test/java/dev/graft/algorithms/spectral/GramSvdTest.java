package dev.graft.algorithms.spectral;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.Svd;
import dev.graft.linalg.nd4j.Nd4jLinearAlgebra;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link GramSvd} against Commons Math's exact double-precision SVD: the error it makes, and its a-priori estimate
 * {@link GramSvd#error}, which must bound that error for the policy's tolerance to mean what it says — at one
 * BLAS thread per call (the default) and at two, since OpenBLAS's summation order and so the rounding depend on it.
 */
class GramSvdTest {
    private final LinearAlgebra la = LinearAlgebra.get();

    /** A rows × cols matrix: {@code spike}-scaled rank-4 part plus unit Gaussian noise, like a fine-tuning delta. */
    private static float[] delta(long seed, int rows, int cols, double spike) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] u = new double[4][rows];
        double[][] v = new double[4][cols];
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < rows; i++) {
                u[c][i] = rng.nextGaussian();
            }
            for (int j = 0; j < cols; j++) {
                v[c][j] = rng.nextGaussian();
            }
        }
        float[] a = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double x = rng.nextGaussian();
                for (int c = 0; c < 4; c++) {
                    x += spike * u[c][i] * v[c][j] / 2;
                }
                a[i * cols + j] = (float) x;
            }
        }
        return a;
    }

    private static RealMatrix real(Matrix m) {
        float[] v = m.toArray();
        double[][] d = new double[m.rows()][m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                d[i][j] = v[i * m.cols() + j];
            }
        }
        return new Array2DRowRealMatrix(d, false);
    }

    /**
     * ‖result − exact‖_F / ‖exact‖_F for the top k: {@code U·diag(σ)·Vᵀ} (by singular value), or {@code U·Vᵀ}
     * (isotropic).
     */
    private static double error(Svd gram, SingularValueDecomposition exact, int k, boolean isotropic) {
        RealMatrix u = exact.getU().getSubMatrix(0, exact.getU().getRowDimension() - 1, 0, k - 1);
        RealMatrix vt = exact.getVT().getSubMatrix(0, k - 1, 0, exact.getVT().getColumnDimension() - 1);
        RealMatrix gu = real(gram.u());
        RealMatrix gvt = real(gram.vt());
        float[] gs = gram.s();
        double[] s = exact.getSingularValues();
        for (int j = 0; j < k; j++) {
            double es = isotropic ? 1 : s[j];
            double ws = isotropic ? 1 : gs[j];
            u.setColumnVector(j, u.getColumnVector(j).mapMultiply(es));
            gu.setColumnVector(j, gu.getColumnVector(j).mapMultiply(ws));
        }
        RealMatrix expected = u.multiply(vt);
        return gu.multiply(gvt).subtract(expected).getFrobeniusNorm() / expected.getFrobeniusNorm();
    }

    private static final double[] TOLERANCES = {1e-2, 1e-3, 1e-4, 1e-5, 1e-6};

    /** The BLAS thread counts every check runs at. */
    private static final int[] BLAS_THREADS = {1, 2};

    /**
     * At each of {@link #BLAS_THREADS}: for every tolerance down to the tightest the Gram path accepts, its error
     * against the exact SVD is within that tolerance; and it accepts {@code reached}.
     */
    private void check(int rows, int cols, double spike, int k, boolean isotropic, double reached) {
        float[] values = delta(rows * 31L + cols, rows, cols, spike);
        int before = Nd4jLinearAlgebra.blasThreads();
        try (Matrix a = la.of(values, rows, cols)) {
            SingularValueDecomposition exact = new SingularValueDecomposition(real(a));
            for (int threads : BLAS_THREADS) {
                Nd4jLinearAlgebra.limitThreads(threads);
                double tightest = Double.NaN;
                for (double tolerance : TOLERANCES) {
                    try (Svd svd = GramSvd.top(la, a, k, isotropic, tolerance)) {
                        if (svd == null) {
                            break;
                        }
                        double actual = error(svd, exact, k, isotropic);
                        assertThat(actual).as("%dx%d, k %d, %d BLAS threads, error within %s", rows, cols, k,
                                threads, tolerance).isLessThanOrEqualTo(tolerance);
                        tightest = tolerance;
                    }
                }
                assertThat(tightest).as("the tightest tolerance the Gram path accepts at %d BLAS threads", threads)
                        .isLessThanOrEqualTo(reached);
            }
        } finally {
            Nd4jLinearAlgebra.limitThreads(before);
        }
    }

    @Test
    void aWellConditionedTallMatrixMatchesTheExactSvdWithinTheEstimate() {
        check(600, 200, 0, 66, false, 1e-5);
        check(600, 200, 0, 200, true, 1e-4);
    }

    @Test
    void aWideMatrixTakesTheGramOfItsRows() {
        // σ₆₆ and σ₆₇ of this matrix are 3.2e-4 apart (relative; the tall one's, 3.2e-3), so the truncation is 10×
        // more sensitive to the Gram matrix's rounding: measured 2.1e-5 at one BLAS thread and 4.4e-6 at two, and
        // the estimate with its cut term, 2.9e-5, accepts 1e-4 but no longer 1e-5.
        check(200, 600, 0, 66, false, 1e-4);
        check(200, 600, 0, 200, true, 1e-4);
    }

    @Test
    void aFineTuningDeltaWithALowRankSpikeIsDeflatedAndStaysWithinTheEstimate() {
        // σ₁²/σⱼ² ≈ 2e4 here: one pass would put about u·2e4 ≈ 1e-3 on the noise floor's directions; with the
        // spike deflated, within 1e-5 (measured 3e-7 and 5e-6).
        check(400, 400, 30, 133, false, 1e-5);
        check(400, 400, 30, 133, true, 1e-5);
    }

    @Test
    void theEstimateAddsTheCutTermAndRefusesACutBetweenEqualSingularValues() {
        double u = 0x1p-24;
        // Keeping all directions, only the eigenvalues' term: 64·u·√((1 + 4²)/2).
        assertThat(GramSvd.error(new float[] {4, 1}, 2, 100, true)).isCloseTo(64 * u * Math.sqrt(8.5),
                within(1e-12));
        // Keeping 1 of σ² = 4, 1, 1 (m = 100): ρ² = u²·(4² + (6/3)²·103/600) = 16.6867·u², the cut sum
        // 2·4·(1 + 1/4)/3² = 1.1111, so √((64²·4 + 16.6867·1.1111)/4)·u = 64.0362·u.
        assertThat(GramSvd.error(new float[] {4, 1, 1}, 1, 100, false) / u).isCloseTo(64.0362, within(1e-4));
        // Keeping 2 of them cuts between the equal pair: no subspace to recover.
        assertThat(GramSvd.error(new float[] {4, 1, 1}, 2, 100, false)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void aSquareMatrixsPolarFactorIsTooIllConditionedAndIsRefused() {
        float[] values = delta(5, 400, 400, 0);
        try (Matrix a = la.of(values, 400, 400)) {
            assertThat(GramSvd.top(la, a, 400, true, 1e-4)).isNull();
        }
    }
}
