package dev.graft.linalg.cuda;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.LinearAlgebraException;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.ProductShape;
import dev.graft.linalg.Svd;
import dev.graft.linalg.cuda.bindings.CudaDevice;
import dev.graft.linalg.cuda.discovery.LibraryFinder;

import java.lang.foreign.MemorySegment;

/**
 * The {@value #NAME} backend: cuBLAS SGEMM, cuSOLVER geqrf/orgqr and gesvd, through {@code java.lang.foreign} on
 * the CUDA libraries installed on the machine (found by {@link LibraryFinder}). Matrices live in pinned host memory,
 * so {@link Matrix#data()} works as on every backend and each operation's copies run at full bus speed; the
 * randomized SVD is the shared one of {@link LinearAlgebra#randomizedSvd}, its GEMMs and QRs on the GPU.
 *
 * <p>{@link java.util.ServiceLoader} makes instances cheaply; the libraries open on {@link #load()} (which the
 * backend selection calls) or on first use.
 */
public final class CudaLinearAlgebra implements LinearAlgebra {
    /** This backend's name. */
    public static final String NAME = "cuda";

    private final LibraryFinder finder;
    private volatile CudaDevice device;

    /**
     * The backend over this process's environment (for {@link java.util.ServiceLoader}); the folders are looked
     * up when it loads, not here, since listing backends must stay cheap.
     */
    public CudaLinearAlgebra() {
        this.finder = null;
    }

    /** The backend over the libraries {@code finder} finds. */
    public CudaLinearAlgebra(LibraryFinder finder) {
        this.finder = java.util.Objects.requireNonNull(finder, "finder");
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Opens the CUDA libraries and checks for a GPU.
     *
     * @throws CudaUnavailableException naming what is missing
     */
    @Override
    public void load() {
        device();
    }

    /** Why the backend cannot run in this process (the message {@link #load()} throws), or empty where it can. */
    public java.util.Optional<String> unavailableReason() {
        try {
            load();
            return java.util.Optional.empty();
        } catch (CudaUnavailableException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    CudaDevice device() {
        CudaDevice d = device;
        if (d == null) {
            synchronized (this) {
                d = device;
                if (d == null) {
                    d = CudaDevice.open(finder == null ? LibraryFinder.ofThisProcess() : finder);
                    device = d;
                }
            }
        }
        return d;
    }

    @Override
    public Matrix zeros(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new LinearAlgebraException("a matrix needs at least one row and column, got " + rows + "×" + cols);
        }
        return new CudaMatrix(this, rows, cols);
    }

    @Override
    public Matrix multiply(Matrix a, boolean transposeA, Matrix b, boolean transposeB) {
        ProductShape shape = ProductShape.of(a, transposeA, b, transposeB);
        Matrix c = zeros(shape.m(), shape.n());
        device().multiply(own(a).data(), a.rows(), a.cols(), transposeA, own(b).data(), b.rows(), b.cols(),
                transposeB, c.data());
        return c;
    }

    @Override
    public Matrix orthonormalBasis(Matrix a) {
        Matrix q = zeros(a.rows(), Math.min(a.rows(), a.cols()));
        try {
            device().orthonormalBasis(own(a).data(), a.rows(), a.cols(), q.data());
            return q;
        } catch (RuntimeException e) {
            q.close();
            throw e;
        }
    }

    @Override
    public Svd svd(Matrix a) {
        int m = a.rows();
        int n = a.cols();
        requireFinite(own(a));
        int k = Math.min(m, n);
        Matrix u = zeros(m, k);
        Matrix vt = zeros(k, n);
        try {
            float[] s = device().svd(a.data(), m, n, u.data(), vt.data());
            return new Svd(u, s, vt);
        } catch (RuntimeException e) {
            u.close();
            vt.close();
            throw e;
        }
    }

    /** gesvd may return NaN factors without an error on non-finite input, so it is checked first. */
    private static void requireFinite(Matrix a) {
        MemorySegment d = a.data();
        long count = (long) a.rows() * a.cols();
        for (long i = 0; i < count; i++) {
            if (!Float.isFinite(d.getAtIndex(Matrix.ELEMENT, i))) {
                throw new LinearAlgebraException("cusolverDnSgesvd cannot factor a " + a.rows() + "×" + a.cols()
                        + " matrix holding NaN or infinite values (element " + i + ")");
            }
        }
    }

    private Matrix own(Matrix m) {
        if (m instanceof CudaMatrix cm && cm.backend() == this) {
            return cm;
        }
        throw new LinearAlgebraException("matrix " + m.rows() + "×" + m.cols() + " belongs to the '"
                + m.backend().name() + "' backend, not '" + NAME + "'");
    }

}
