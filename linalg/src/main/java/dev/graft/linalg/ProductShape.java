package dev.graft.linalg;

/**
 * The shape of a product op(a) · op(b): op(a) is m × inner and op(b) inner × n. Backends check operands with it,
 * so every backend rejects a mismatch with the same message.
 *
 * @param m     the rows of the product
 * @param inner the shared dimension
 * @param n     the columns of the product
 */
public record ProductShape(int m, int inner, int n) {
    /**
     * The shape of op(a) · op(b).
     *
     * @throws LinearAlgebraException if the inner dimensions differ
     */
    public static ProductShape of(Matrix a, boolean transposeA, Matrix b, boolean transposeB) {
        int m = transposeA ? a.cols() : a.rows();
        int inner = transposeA ? a.rows() : a.cols();
        int innerB = transposeB ? b.cols() : b.rows();
        int n = transposeB ? b.rows() : b.cols();
        if (inner != innerB) {
            throw new LinearAlgebraException("cannot multiply " + shape(a, transposeA) + " by " + shape(b, transposeB)
                    + ": inner dimensions " + inner + " and " + innerB + " differ");
        }
        return new ProductShape(m, inner, n);
    }

    private static String shape(Matrix m, boolean transposed) {
        return transposed ? m.cols() + "×" + m.rows() + " (transposed)" : m.rows() + "×" + m.cols();
    }
}
