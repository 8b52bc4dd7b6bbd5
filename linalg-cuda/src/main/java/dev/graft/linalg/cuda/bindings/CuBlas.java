package dev.graft.linalg.cuda.bindings;

import dev.graft.linalg.LinearAlgebraException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * cuBLAS's single-precision GEMM and GEAM on one handle. cuBLAS is column-major: a row-major m × n buffer is, to
 * it, the n × m transpose, which callers use to avoid copies.
 */
final class CuBlas {
    /** {@code CUBLAS_OP_N}. */
    static final int NO_TRANSPOSE = 0;
    /** {@code CUBLAS_OP_T}. */
    static final int TRANSPOSE = 1;

    // The scalars live in host memory: cuBLAS's default pointer mode reads alpha and beta from the host.
    private static final MemorySegment ONE = Arena.global().allocateFrom(JAVA_FLOAT, 1f);
    private static final MemorySegment ZERO = Arena.global().allocateFrom(JAVA_FLOAT, 0f);

    private final MethodHandle sgemm;
    private final MethodHandle sgeam;
    private final MemorySegment handle;

    private CuBlas(LoadedLibrary lib) {
        MethodHandle create = lib.function("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        sgemm = lib.function("cublasSgemm_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        sgeam = lib.function("cublasSgeam", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check("cublasCreate", (int) create.invokeExact(out));
            handle = out.get(ADDRESS, 0);
        } catch (LinearAlgebraException e) {
            throw e;
        } catch (Throwable t) {
            throw new LinearAlgebraException("cublasCreate failed: " + t, t);
        }
    }

    /** Opens libcublas at {@code file} and creates a handle (which needs a GPU). */
    static CuBlas open(Path file) {
        return new CuBlas(LoadedLibrary.open(file));
    }

    /** Column-major C (m × n) = op(A) · op(B), op(A) m × k. */
    void gemm(int transA, int transB, int m, int n, int k, MemorySegment a, int lda, MemorySegment b, int ldb,
              MemorySegment c, int ldc) {
        int status;
        try {
            status = (int) sgemm.invokeExact(handle, transA, transB, m, n, k, ONE, a, lda, b, ldb, ZERO, c, ldc);
        } catch (Throwable t) {
            throw new LinearAlgebraException("cublasSgemm failed: " + t, t);
        }
        check("cublasSgemm (" + m + "×" + k + " by " + k + "×" + n + ")", status);
    }

    /** Column-major C (m × n, leading dimension ldc) = Aᵀ, where A is n × m with leading dimension lda. */
    void transpose(int m, int n, MemorySegment a, int lda, MemorySegment c, int ldc) {
        int status;
        try {
            // beta is 0, so B only has to be a valid operand of the same shape: A itself.
            status = (int) sgeam.invokeExact(handle, TRANSPOSE, TRANSPOSE, m, n, ONE, a, lda, ZERO, a, lda, c, ldc);
        } catch (Throwable t) {
            throw new LinearAlgebraException("cublasSgeam failed: " + t, t);
        }
        check("cublasSgeam transpose (" + n + "×" + m + ")", status);
    }

    private static void check(String what, int status) {
        if (status != 0) {
            throw new LinearAlgebraException(what + " failed with " + StatusNames.cublas(status));
        }
    }
}
