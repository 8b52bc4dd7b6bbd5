package dev.graft.algorithms.kernels;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

import java.util.List;

/**
 * Straightforward exact implementations of the four SVD merges in double, on Commons Math's dense SVD, written from
 * the papers' and the authors' code's steps (full SVDs, explicit concatenation, the loss's gradient as written), as
 * the oracle of {@link SpectralParityTest}. Each returns the merged task vector before lambda.
 */
public final class SpectralOracle {
    private SpectralOracle() {
    }

    public static RealMatrix matrix(float[] values, int rows, int cols) {
        RealMatrix m = new Array2DRowRealMatrix(rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m.setEntry(r, c, values[r * cols + c]);
            }
        }
        return m;
    }

    private static RealMatrix polar(RealMatrix a) {
        SingularValueDecomposition svd = new SingularValueDecomposition(a);
        return svd.getU().multiply(svd.getVT());
    }

    private static RealMatrix sum(List<RealMatrix> tasks) {
        RealMatrix s = tasks.getFirst();
        for (RealMatrix t : tasks.subList(1, tasks.size())) {
            s = s.add(t);
        }
        return s;
    }

    /** TSV-M: k = max(1, int(r · fraction)) triplets of each task, concatenated, U and V whitened by polar factors. */
    public static RealMatrix tsv(List<RealMatrix> tasks, double fraction) {
        int m = tasks.getFirst().getRowDimension();
        int n = tasks.getFirst().getColumnDimension();
        int k = Math.max(1, (int) (Math.min(m, n) * fraction));
        int total = k * tasks.size();
        RealMatrix u = new Array2DRowRealMatrix(m, total);
        RealMatrix v = new Array2DRowRealMatrix(n, total);
        double[] s = new double[total];
        for (int i = 0; i < tasks.size(); i++) {
            SingularValueDecomposition svd = new SingularValueDecomposition(tasks.get(i));
            for (int j = 0; j < k; j++) {
                u.setColumnMatrix(i * k + j, svd.getU().getColumnMatrix(j));
                v.setColumnMatrix(i * k + j, svd.getV().getColumnMatrix(j));
                s[i * k + j] = svd.getSingularValues()[j];
            }
        }
        return polar(u).multiply(MatrixUtils.createRealDiagonalMatrix(s)).multiply(polar(v).transpose());
    }

    /** Iso-C: the sum's singular values all set to their mean. */
    public static RealMatrix isoC(List<RealMatrix> tasks) {
        SingularValueDecomposition svd = new SingularValueDecomposition(sum(tasks));
        double mean = java.util.Arrays.stream(svd.getSingularValues()).average().orElseThrow();
        return svd.getU().multiply(svd.getVT()).scalarMultiply(mean);
    }

    /** Iso-CTS with the authors' subspace sizes, spelled out as their code computes them. */
    public static RealMatrix isoCts(List<RealMatrix> tasks, double commonFraction) {
        int m = tasks.getFirst().getRowDimension();
        int n = tasks.getFirst().getColumnDimension();
        int r = Math.min(m, n);
        int t = tasks.size();
        int common = (int) (r * commonFraction);
        // Python's round() rounds halves to even, as Math.rint does.
        int specificTotal = (int) Math.rint((r - common) / (double) t) * t;
        common = r - specificTotal;
        int perTask = (r - common) / t;
        SingularValueDecomposition whole = new SingularValueDecomposition(sum(tasks));
        RealMatrix uc = whole.getU().getSubMatrix(0, m - 1, 0, common - 1);
        RealMatrix u = new Array2DRowRealMatrix(m, r);
        RealMatrix v = new Array2DRowRealMatrix(n, r);
        double[] s = new double[r];
        for (int i = 0; i < t; i++) {
            RealMatrix specific = tasks.get(i).subtract(uc.multiply(uc.transpose()).multiply(tasks.get(i)));
            SingularValueDecomposition svd = new SingularValueDecomposition(specific);
            for (int j = 0; j < perTask; j++) {
                u.setColumnMatrix(i * perTask + j, svd.getU().getColumnMatrix(j));
                v.setColumnMatrix(i * perTask + j, svd.getV().getColumnMatrix(j));
                s[i * perTask + j] = svd.getSingularValues()[j];
            }
        }
        for (int j = 0; j < common; j++) {
            u.setColumnMatrix(t * perTask + j, whole.getU().getColumnMatrix(j));
            v.setColumnMatrix(t * perTask + j, whole.getV().getColumnMatrix(j));
            s[t * perTask + j] = whole.getSingularValues()[j];
        }
        double mean = java.util.Arrays.stream(s).average().orElseThrow();
        return polar(u).multiply(polar(v).transpose()).scalarMultiply(mean);
    }

    /**
     * WUDI: Adam (PyTorch's update, β 0.9/0.999, ε 1e-8) on Σᵢ ‖(τ − τᵢ)τᵢᵀ‖² / ‖τᵢ‖² from Σᵢ τᵢ, its gradient
     * 2 Σᵢ (τ − τᵢ)·τᵢᵀ·τᵢ / ‖τᵢ‖² taken term by term as the loss is written.
     */
    public static RealMatrix wudi(List<RealMatrix> tasks, int steps, double lr) {
        RealMatrix tau = sum(tasks);
        int m = tau.getRowDimension();
        int n = tau.getColumnDimension();
        double[][] first = new double[m][n];
        double[][] second = new double[m][n];
        for (int step = 1; step <= steps; step++) {
            RealMatrix grad = new Array2DRowRealMatrix(m, n);
            for (RealMatrix ti : tasks) {
                double norm = Math.pow(ti.getFrobeniusNorm(), 2);
                RealMatrix inner = tau.subtract(ti).multiply(ti.transpose());
                grad = grad.add(inner.multiply(ti).scalarMultiply(2 / norm));
            }
            double bc1 = 1 - Math.pow(0.9, step);
            double bc2 = Math.sqrt(1 - Math.pow(0.999, step));
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < n; c++) {
                    double g = grad.getEntry(r, c);
                    first[r][c] = 0.9 * first[r][c] + 0.1 * g;
                    second[r][c] = 0.999 * second[r][c] + 0.001 * g * g;
                    double denom = Math.sqrt(second[r][c]) / bc2 + 1e-8;
                    tau.addToEntry(r, c, -lr / bc1 * first[r][c] / denom);
                }
            }
        }
        return tau;
    }
}
