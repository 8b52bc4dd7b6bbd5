package dev.graft.linalg.nd4j;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.LinearAlgebraException;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.ProductShape;
import dev.graft.linalg.Svd;
import dev.graft.linalg.SymmetricEigen;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.foreign.MemorySegment;

/**
 * The default backend: ND4J arrays and GEMM, and the LAPACK routines of the OpenBLAS that ND4J ships, called
 * directly because ND4J's own SVD op fails in 1.0.0-M2.1 and its {@code gesvd} is 25–30× slower than
 * {@code sgesdd} (measured in docs/research/java.md of the project's research notes).
 */
public final class Nd4jLinearAlgebra implements LinearAlgebra {
    /** This backend's name. */
    public static final String NAME = "nd4j";

    /**
     * The system property that sets the threads OpenBLAS and ND4J's OpenMP ops use per call; unset,
     * {@value #DEFAULT_THREADS}. Graft already runs its own workers over the matrices, and the libraries' default
     * (one thread per core in every call) on top of them left idle BLAS threads spinning in {@code sched_yield}:
     * on 2 cores a cold {@code graft extract --rank 64} took 2.6× the CPU time (docs/benchmarks.md, "OpenBLAS
     * threads"). OpenBLAS's rounding depends on its thread count, so results are deterministic for a given value.
     */
    public static final String THREADS_PROPERTY = "graft.blas.threads";

    /** The native threads per call when {@value #THREADS_PROPERTY} is unset. */
    public static final int DEFAULT_THREADS = 1;

    private static volatile Nd4jLinearAlgebra instance;

    private Nd4jLinearAlgebra() {
    }

    /**
     * The backend, loading ND4J's native libraries on first use.
     *
     * @throws LinearAlgebraException if the natives cannot be loaded on this platform
     */
    public static Nd4jLinearAlgebra instance() {
        Nd4jLinearAlgebra la = instance;
        if (la == null) {
            synchronized (Nd4jLinearAlgebra.class) {
                la = instance;
                if (la == null) {
                    try {
                        Nd4j.getBackend();
                        org.bytedeco.javacpp.Loader.load(openblas.class);
                        limitNativeThreads(nativeThreads());
                    } catch (LinkageError | RuntimeException e) {
                        throw new LinearAlgebraException("cannot load ND4J's native libraries for "
                                + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                                + " (build with the Maven profile of this platform): " + e.getMessage(), e);
                    }
                    la = new Nd4jLinearAlgebra();
                    instance = la;
                }
            }
        }
        return la;
    }

    /**
     * The threads each native call may use: {@value #THREADS_PROPERTY}, else {@value #DEFAULT_THREADS}.
     *
     * @throws LinearAlgebraException if the property is not a positive integer
     */
    static int nativeThreads() {
        String value = System.getProperty(THREADS_PROPERTY);
        if (value == null) {
            return DEFAULT_THREADS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LinearAlgebraException("system property " + THREADS_PROPERTY + " must be a positive integer, got '"
                + value + "'");
    }

    /**
     * Caps the threads OpenBLAS and ND4J's OpenMP ops use per call from now on, for the whole process.
     *
     * @param threads at least 1
     * @throws LinearAlgebraException if {@code threads} is below 1
     */
    public static void limitThreads(int threads) {
        if (threads < 1) {
            throw new LinearAlgebraException("native threads must be at least 1, got " + threads);
        }
        instance();
        limitNativeThreads(threads);
    }

    private static void limitNativeThreads(int threads) {
        // Graft's executors already run one worker per core over the matrices. OpenBLAS's and ND4J's OpenMP threads
        // on top of them oversubscribe the cores, and OpenBLAS's idle threads spin in sched_yield while they wait,
        // which showed up as system time (2.77 M sched_yield calls in one cold extract; docs/benchmarks.md).
        openblas.blas_set_num_threads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
    }

    /** The threads OpenBLAS uses per call now. */
    public static int blasThreads() {
        instance();
        return openblas.blas_get_num_threads();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Matrix zeros(int rows, int cols) {
        checkShape(rows, cols);
        return new Nd4jMatrix(this, Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c'));
    }

    /** A matrix whose elements the caller overwrites at once. */
    private Nd4jMatrix uninitialized(int rows, int cols) {
        checkShape(rows, cols);
        return new Nd4jMatrix(this, Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'c'));
    }

    @Override
    public Matrix multiply(Matrix a, boolean transposeA, Matrix b, boolean transposeB) {
        ProductShape shape = ProductShape.of(a, transposeA, b, transposeB);
        Nd4jMatrix c = uninitialized(shape.m(), shape.n());
        Nd4j.gemm(own(a).array(), own(b).array(), c.array(), transposeA, transposeB, 1.0, 0.0);
        return c;
    }

    @Override
    public Matrix orthonormalBasis(Matrix a) {
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        try (Nd4jMatrix work = (Nd4jMatrix) own(a).copy(); FloatPointer tau = new FloatPointer(k)) {
            FloatPointer w = work.pointer();
            check("sgeqrf", a, openblas.LAPACKE_sgeqrf(openblas.LAPACK_ROW_MAJOR, m, n, w, n, tau));
            // sorgqr forms the first k columns of Q in place; with n > m the trailing columns are left over.
            check("sorgqr", a, openblas.LAPACKE_sorgqr(openblas.LAPACK_ROW_MAJOR, m, k, k, w, n, tau));
            if (k == n) {
                return work.copy();
            }
            Nd4jMatrix q = uninitialized(m, k);
            copyLeadingColumns(work, q);
            return q;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>By {@code sgesdd} (divide and conquer). Its bidiagonal solver can fail to converge on finite, not even
     * ill-conditioned matrices (LAPACK's {@code info > 0}; a 2048 × 2048 stacked V of an {@code iso_cts} merge of
     * the 1B benchmark family, singular values 1.7 to 4e-4, is one, at one OpenBLAS thread); the matrix is then
     * decomposed again in float64 by {@code dgesdd} and, should that fail too, {@code dgesvd} (QR iteration, the
     * driver LAPACK keeps for this: its float32 form took 30× {@code sgesdd}'s time on that matrix, {@code dgesdd}
     * 2.5×, so it is the second retry), and the factors rounded to float32. Only if all three fail is the matrix
     * refused.
     */
    @Override
    public Svd svd(Matrix a) {
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        Nd4jMatrix u = uninitialized(m, k);
        Nd4jMatrix vt = uninitialized(k, n);
        // sgesdd overwrites its input.
        try (Nd4jMatrix work = (Nd4jMatrix) own(a).copy(); FloatPointer s = new FloatPointer(k)) {
            int info = openblas.LAPACKE_sgesdd(openblas.LAPACK_ROW_MAJOR, (byte) 'S', m, n, work.pointer(), n, s,
                    u.pointer(), k, vt.pointer(), n);
            if (info > 0) {
                return new Svd(u, inDoublePrecision(own(a), u, vt), vt);
            }
            check("sgesdd", a, info);
            float[] values = new float[k];
            s.get(values);
            return new Svd(u, values, vt);
        } catch (RuntimeException e) {
            u.close();
            vt.close();
            throw e;
        }
    }

    /**
     * The SVD of {@code a} by {@code dgesdd}, or {@code dgesvd} where that does not converge, its factors rounded
     * into {@code u} and {@code vt}; the singular values.
     */
    static float[] inDoublePrecision(Nd4jMatrix a, Nd4jMatrix u, Nd4jMatrix vt) {
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        long size = (long) m * n;
        try (DoublePointer work = new DoublePointer(size); DoublePointer s = new DoublePointer(k);
             DoublePointer du = new DoublePointer((long) m * k); DoublePointer dvt = new DoublePointer((long) k * n)) {
            widen(a, work);
            int info = openblas.LAPACKE_dgesdd(openblas.LAPACK_ROW_MAJOR, (byte) 'S', m, n, work, n, s, du, k, dvt, n);
            if (info > 0) {
                widen(a, work);
                try (DoublePointer superb = new DoublePointer(Math.max(1, k - 1))) {
                    info = openblas.LAPACKE_dgesvd(openblas.LAPACK_ROW_MAJOR, (byte) 'S', (byte) 'S', m, n, work, n,
                            s, du, k, dvt, n, superb);
                }
                check("sgesdd, dgesdd and dgesvd", a, info);
            } else {
                check("dgesdd (after sgesdd did not converge)", a, info);
            }
            narrow(du, u);
            narrow(dvt, vt);
            float[] values = new float[k];
            for (int j = 0; j < k; j++) {
                values[j] = (float) s.get(j);
            }
            return values;
        }
    }

    private static void widen(Nd4jMatrix from, DoublePointer to) {
        MemorySegment src = from.data();
        long size = (long) from.rows() * from.cols();
        for (long i = 0; i < size; i++) {
            to.put(i, src.getAtIndex(Matrix.ELEMENT, i));
        }
    }

    private static void narrow(DoublePointer from, Nd4jMatrix to) {
        MemorySegment dst = to.data();
        long size = (long) to.rows() * to.cols();
        for (long i = 0; i < size; i++) {
            dst.setAtIndex(Matrix.ELEMENT, i, (float) from.get(i));
        }
    }

    @Override
    public SymmetricEigen symmetricEigen(Matrix a) {
        int n = a.rows();
        if (a.cols() != n) {
            throw new LinearAlgebraException("an eigendecomposition needs a square matrix, got " + n + "×" + a.cols());
        }
        // ssyevd overwrites its input with the eigenvectors (as columns), eigenvalues ascending.
        Nd4jMatrix work = (Nd4jMatrix) own(a).copy();
        try (FloatPointer w = new FloatPointer(n)) {
            check("ssyevd", a, openblas.LAPACKE_ssyevd(openblas.LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', n,
                    work.pointer(), n, w));
            float[] ascending = new float[n];
            w.get(ascending);
            float[] values = new float[n];
            Nd4jMatrix vectors = uninitialized(n, n);
            MemorySegment src = work.data();
            MemorySegment dst = vectors.data();
            for (int j = 0; j < n; j++) {
                values[j] = ascending[n - 1 - j];
            }
            for (long r = 0; r < n; r++) {
                for (int j = 0; j < n; j++) {
                    dst.setAtIndex(Matrix.ELEMENT, r * n + j, src.getAtIndex(Matrix.ELEMENT, r * n + (n - 1 - j)));
                }
            }
            return new SymmetricEigen(values, vectors);
        } finally {
            work.close();
        }
    }

    private static void copyLeadingColumns(Nd4jMatrix from, Nd4jMatrix to) {
        MemorySegment src = from.data();
        MemorySegment dst = to.data();
        long rowBytes = (long) to.cols() * Float.BYTES;
        for (int r = 0; r < to.rows(); r++) {
            MemorySegment.copy(src, (long) r * from.cols() * Float.BYTES, dst, r * rowBytes, rowBytes);
        }
    }

    private Nd4jMatrix own(Matrix m) {
        if (m instanceof Nd4jMatrix nd && nd.backend() == this) {
            return nd;
        }
        throw new LinearAlgebraException("matrix " + m.rows() + "×" + m.cols() + " belongs to the '"
                + m.backend().name() + "' backend, not '" + NAME + "'");
    }

    private static void check(String routine, Matrix a, int info) {
        if (info < 0) {
            throw new LinearAlgebraException("LAPACK " + routine + " on a " + a.rows() + "×" + a.cols()
                    + " matrix rejected argument " + (-info));
        }
        if (info > 0) {
            throw new LinearAlgebraException("LAPACK " + routine + " did not converge on a " + a.rows() + "×"
                    + a.cols() + " matrix (info " + info + "); does it contain NaN or infinite values?");
        }
    }

    private static void checkShape(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new LinearAlgebraException("a matrix needs at least one row and column, got " + rows + "×" + cols);
        }
    }
}
