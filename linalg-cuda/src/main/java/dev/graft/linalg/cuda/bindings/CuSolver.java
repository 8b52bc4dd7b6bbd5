package dev.graft.linalg.cuda.bindings;

import dev.graft.linalg.LinearAlgebraException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * cuSOLVER's dense single-precision QR ({@code geqrf}, {@code orgqr}) and SVD ({@code gesvd}) on one handle, on
 * column-major device matrices. Each call sizes its workspace with the matching {@code _bufferSize} call and
 * returns LAPACK's info from device memory.
 */
final class CuSolver {
    private final CudaRuntime runtime;
    private final MethodHandle geqrfSize;
    private final MethodHandle geqrf;
    private final MethodHandle orgqrSize;
    private final MethodHandle orgqr;
    private final MethodHandle gesvdSize;
    private final MethodHandle gesvd;
    private final MemorySegment handle;

    private CuSolver(CudaRuntime runtime, LoadedLibrary lib) {
        this.runtime = runtime;
        MethodHandle create = lib.function("cusolverDnCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        geqrfSize = lib.function("cusolverDnSgeqrf_bufferSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT,
                JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        geqrf = lib.function("cusolverDnSgeqrf", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        orgqrSize = lib.function("cusolverDnSorgqr_bufferSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT,
                JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        orgqr = lib.function("cusolverDnSorgqr", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
        gesvdSize = lib.function("cusolverDnSgesvd_bufferSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT,
                JAVA_INT, ADDRESS));
        gesvd = lib.function("cusolverDnSgesvd", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BYTE, JAVA_BYTE,
                JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                JAVA_INT, ADDRESS, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check("cusolverDnCreate", (int) create.invokeExact(out));
            handle = out.get(ADDRESS, 0);
        } catch (LinearAlgebraException e) {
            throw e;
        } catch (Throwable t) {
            throw new LinearAlgebraException("cusolverDnCreate failed: " + t, t);
        }
    }

    /** Opens libcusolver at {@code file} and creates a handle. */
    static CuSolver open(CudaRuntime runtime, Path file) {
        return new CuSolver(runtime, LoadedLibrary.open(file));
    }

    /**
     * Overwrites the column-major m × n matrix {@code a} (m ≥ n) with the first n columns of Q of its QR
     * decomposition: geqrf, then orgqr.
     */
    void thinQ(int m, int n, DeviceBuffer a) {
        try (Arena arena = Arena.ofConfined(); DeviceBuffer tau = DeviceBuffer.floats(runtime, n);
             DeviceBuffer info = DeviceBuffer.ints(runtime, 1)) {
            MemorySegment lwork = arena.allocate(JAVA_INT);
            check("cusolverDnSgeqrf_bufferSize", (int) geqrfSize.invokeExact(handle, m, n, a.pointer(), m, lwork));
            int qrWork = lwork.get(JAVA_INT, 0);
            check("cusolverDnSorgqr_bufferSize", (int) orgqrSize.invokeExact(handle, m, n, n, a.pointer(), m,
                    tau.pointer(), lwork));
            int size = Math.max(1, Math.max(qrWork, lwork.get(JAVA_INT, 0)));
            try (DeviceBuffer work = DeviceBuffer.floats(runtime, size)) {
                check("cusolverDnSgeqrf", (int) geqrf.invokeExact(handle, m, n, a.pointer(), m, tau.pointer(),
                        work.pointer(), size, info.pointer()));
                checkInfo("cusolverDnSgeqrf", m, n, info.readInt());
                check("cusolverDnSorgqr", (int) orgqr.invokeExact(handle, m, n, n, a.pointer(), m, tau.pointer(),
                        work.pointer(), size, info.pointer()));
                checkInfo("cusolverDnSorgqr", m, n, info.readInt());
            }
        } catch (LinearAlgebraException e) {
            throw e;
        } catch (Throwable t) {
            throw new LinearAlgebraException("cuSOLVER QR failed: " + t, t);
        }
    }

    /**
     * The thin SVD of the column-major m × n matrix {@code a} (m ≥ n, overwritten): s (n), u (m × n, leading
     * dimension m) and vt (n × n, leading dimension n).
     */
    void thinSvd(int m, int n, DeviceBuffer a, DeviceBuffer s, DeviceBuffer u, DeviceBuffer vt) {
        try (Arena arena = Arena.ofConfined(); DeviceBuffer info = DeviceBuffer.ints(runtime, 1);
             DeviceBuffer superdiagonal = DeviceBuffer.floats(runtime, n)) {
            MemorySegment lwork = arena.allocate(JAVA_INT);
            check("cusolverDnSgesvd_bufferSize", (int) gesvdSize.invokeExact(handle, m, n, lwork));
            int size = Math.max(1, lwork.get(JAVA_INT, 0));
            try (DeviceBuffer work = DeviceBuffer.floats(runtime, size)) {
                check("cusolverDnSgesvd", (int) gesvd.invokeExact(handle, (byte) 'S', (byte) 'S', m, n,
                        a.pointer(), m, s.pointer(), u.pointer(), m, vt.pointer(), n, work.pointer(), size,
                        superdiagonal.pointer(), info.pointer()));
                checkInfo("cusolverDnSgesvd", m, n, info.readInt());
            }
        } catch (LinearAlgebraException e) {
            throw e;
        } catch (Throwable t) {
            throw new LinearAlgebraException("cusolverDnSgesvd failed: " + t, t);
        }
    }

    private static void check(String what, int status) {
        if (status != 0) {
            throw new LinearAlgebraException(what + " failed with " + StatusNames.cusolver(status));
        }
    }

    private static void checkInfo(String routine, int m, int n, int info) {
        if (info < 0) {
            throw new LinearAlgebraException(routine + " on a " + m + "×" + n + " matrix rejected argument "
                    + (-info));
        }
        if (info > 0) {
            throw new LinearAlgebraException(routine + " did not converge on a " + m + "×" + n + " matrix (info "
                    + info + ")");
        }
    }
}
