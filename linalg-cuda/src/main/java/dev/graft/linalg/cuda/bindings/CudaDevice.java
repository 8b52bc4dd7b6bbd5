package dev.graft.linalg.cuda.bindings;

import dev.graft.linalg.cuda.discovery.CudaLibrary;
import dev.graft.linalg.cuda.discovery.LibraryFinder;

import java.lang.foreign.MemorySegment;

/**
 * The GPU seen as row-major float32 operations on host matrices in pinned memory: each call uploads its operands,
 * runs cuBLAS or cuSOLVER, and downloads the result. Calls are serialized on one cuBLAS and one cuSOLVER handle.
 *
 * <p>Layout: Graft's matrices are row-major and the CUDA libraries column-major. A row-major m × n buffer is the
 * column-major n × m transpose, so a product is computed as Cᵀ = op(B)ᵀ · op(A)ᵀ with the operands swapped and no
 * copy; QR and the SVD need the column-major matrix itself and transpose on the device with {@code cublasSgeam}.
 */
public final class CudaDevice {
    private final CudaRuntime runtime;
    private final CuBlas blas;
    private final CuSolver solver;

    private CudaDevice(CudaRuntime runtime, CuBlas blas, CuSolver solver) {
        this.runtime = runtime;
        this.blas = blas;
        this.solver = solver;
    }

    /**
     * Finds and opens libcudart (checking for a GPU), libcublas and libcusolver, in that order, so the first thing
     * missing is the one reported. cuBLAS's and cuSOLVER's own dependencies are opened first from the folders the
     * finder picks, so that they need not be on LD_LIBRARY_PATH.
     *
     * @throws dev.graft.linalg.cuda.CudaUnavailableException naming the missing library, or the driver's error
     */
    public static CudaDevice open(LibraryFinder finder) {
        CudaRuntime runtime = CudaRuntime.open(finder.find(CudaLibrary.CUDART));
        LoadedLibrary.open(finder.find(CudaLibrary.CUBLAS_LT));
        CuBlas blas = CuBlas.open(finder.find(CudaLibrary.CUBLAS));
        LoadedLibrary.open(finder.find(CudaLibrary.NVJITLINK));
        LoadedLibrary.open(finder.find(CudaLibrary.CUSPARSE));
        CuSolver solver = CuSolver.open(runtime, finder.find(CudaLibrary.CUSOLVER));
        return new CudaDevice(runtime, blas, solver);
    }

    /** Page-locked host memory of {@code bytes}, zeroed. */
    public MemorySegment pinned(long bytes) {
        return runtime.pinnedAlloc(bytes).fill((byte) 0);
    }

    /** Frees memory from {@link #pinned}. */
    public void freePinned(MemorySegment segment) {
        runtime.pinnedFree(segment);
    }

    /**
     * Row-major C (m × n) = op(A) · op(B), where A is aRows × aCols and op(A) is m × k.
     */
    public synchronized void multiply(MemorySegment a, int aRows, int aCols, boolean transposeA, MemorySegment b,
                                      int bRows, int bCols, boolean transposeB, MemorySegment c) {
        int m = transposeA ? aCols : aRows;
        int k = transposeA ? aRows : aCols;
        int n = transposeB ? bRows : bCols;
        try (DeviceBuffer da = DeviceBuffer.floats(runtime, (long) aRows * aCols);
             DeviceBuffer db = DeviceBuffer.floats(runtime, (long) bRows * bCols);
             DeviceBuffer dc = DeviceBuffer.floats(runtime, (long) m * n)) {
            da.upload(a);
            db.upload(b);
            // Column-major, the buffers hold Aᵀ (lda aCols) and Bᵀ (ldb bCols); Cᵀ (n × m) = op(B)ᵀ · op(A)ᵀ.
            blas.gemm(transposeB ? CuBlas.TRANSPOSE : CuBlas.NO_TRANSPOSE,
                    transposeA ? CuBlas.TRANSPOSE : CuBlas.NO_TRANSPOSE, n, m, k, db.pointer(), bCols, da.pointer(),
                    aCols, dc.pointer(), n);
            dc.download(c);
        }
    }

    /**
     * The row-major m × min(m, n) Q of a thin QR of the row-major m × n {@code a}, into {@code q}.
     */
    public synchronized void orthonormalBasis(MemorySegment a, int m, int n, MemorySegment q) {
        int k = Math.min(m, n);
        try (DeviceBuffer rowMajor = DeviceBuffer.floats(runtime, (long) m * n);
             DeviceBuffer columnMajor = DeviceBuffer.floats(runtime, (long) m * n);
             DeviceBuffer result = DeviceBuffer.floats(runtime, (long) m * k)) {
            rowMajor.upload(a);
            blas.transpose(m, n, rowMajor.pointer(), n, columnMajor.pointer(), m);
            // Of a wide matrix only the first m columns matter: they span everything.
            solver.thinQ(m, k, columnMajor);
            blas.transpose(k, m, columnMajor.pointer(), m, result.pointer(), k);
            result.download(q);
        }
    }

    /**
     * The thin SVD of the row-major m × n {@code a}: returns the min(m, n) singular values, descending, and writes
     * the row-major u (m × k) and vt (k × n).
     */
    public synchronized float[] svd(MemorySegment a, int m, int n, MemorySegment u, MemorySegment vt) {
        int k = Math.min(m, n);
        try (DeviceBuffer input = DeviceBuffer.floats(runtime, (long) m * n);
             DeviceBuffer s = DeviceBuffer.floats(runtime, k)) {
            input.upload(a);
            if (n >= m) {
                // The buffer is the column-major n × m X = aᵀ = U_x S V_xᵀ, so a = V_x S U_xᵀ: read row-major,
                // V_xᵀ (m × m, column-major) is u and U_x (n × m, column-major) is vt, with no transposes.
                try (DeviceBuffer ux = DeviceBuffer.floats(runtime, (long) n * m);
                     DeviceBuffer vtx = DeviceBuffer.floats(runtime, (long) m * m)) {
                    solver.thinSvd(n, m, input, s, ux, vtx);
                    vtx.download(u);
                    ux.download(vt);
                }
            } else {
                try (DeviceBuffer columnMajor = DeviceBuffer.floats(runtime, (long) m * n);
                     DeviceBuffer cu = DeviceBuffer.floats(runtime, (long) m * n);
                     DeviceBuffer cvt = DeviceBuffer.floats(runtime, (long) n * n);
                     DeviceBuffer out = DeviceBuffer.floats(runtime, (long) m * n)) {
                    blas.transpose(m, n, input.pointer(), n, columnMajor.pointer(), m);
                    solver.thinSvd(m, n, columnMajor, s, cu, cvt);
                    blas.transpose(n, m, cu.pointer(), m, out.pointer(), n);
                    out.download(u);
                    blas.transpose(n, n, cvt.pointer(), n, out.pointer(), n);
                    out.download(vt);
                }
            }
            float[] values = new float[k];
            MemorySegment host = pinned((long) k * Float.BYTES);
            try {
                s.download(host);
                MemorySegment.copy(host, java.lang.foreign.ValueLayout.JAVA_FLOAT, 0, values, 0, k);
            } finally {
                freePinned(host);
            }
            return values;
        }
    }
}
