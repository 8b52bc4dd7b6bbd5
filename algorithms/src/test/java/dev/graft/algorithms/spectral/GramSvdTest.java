package dev.graft.algorithms.spectral;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.Svd;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GramSvd} against Commons Math's exact double-precision SVD: the error it makes, and its a-priori estimate
 * {@link GramSvd#error}, which must bound that error for the policy's tolerance to mean what it says.
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

    /**
     * For every tolerance down to the tightest the Gram path accepts, its error against the exact SVD is within
     * that tolerance; and it accepts {@code reached}.
     */
    private void check(int rows, int cols, double spike, int k, boolean isotropic, double reached) {
        float[] values = delta(rows * 31L + cols, rows, cols, spike);
        try (Matrix a = la.of(values, rows, cols)) {
            SingularValueDecomposition exact = new SingularValueDecomposition(real(a));
            double tightest = Double.NaN;
            for (double tolerance : TOLERANCES) {
                try (Svd svd = GramSvd.top(la, a, k, isotropic, tolerance)) {
                    if (svd == null) {
                        break;
                    }
                    double actual = error(svd, exact, k, isotropic);
                    assertThat(actual).as("%dx%d, k %d, error within %s", rows, cols, k, tolerance)
                            .isLessThanOrEqualTo(tolerance);
                    tightest = tolerance;
                }
            }
            assertThat(tightest).as("the tightest tolerance the Gram path accepts").isLessThanOrEqualTo(reached);
        }
    }

    @Test
    void aWellConditionedTallMatrixMatchesTheExactSvdWithinTheEstimate() {
        check(600, 200, 0, 66, false, 1e-5);
        check(600, 200, 0, 200, true, 1e-4);
    }

    @Test
    void aWideMatrixTakesTheGramOfItsRows() {
        check(200, 600, 0, 66, false, 1e-5);
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
    void aSquareMatrixsPolarFactorIsTooIllConditionedAndIsRefused() {
        float[] values = delta(5, 400, 400, 0);
        try (Matrix a = la.of(values, 400, 400)) {
            assertThat(GramSvd.top(la, a, 400, true, 1e-4)).isNull();
        }
    }
}
