package dev.graft.linalg.cuda.bindings;

import dev.graft.linalg.cuda.CudaUnavailableException;
import dev.graft.linalg.LinearAlgebraException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The CUDA runtime calls the backend makes (libcudart): device count, device and pinned host allocation, and
 * blocking copies. Every call's {@code cudaError_t} other than {@code cudaSuccess} becomes an exception carrying the
 * error's name from {@code cudaGetErrorName}.
 */
public final class CudaRuntime {
    /** {@code cudaMemcpyHostToDevice}. */
    static final int HOST_TO_DEVICE = 1;
    /** {@code cudaMemcpyDeviceToHost}. */
    static final int DEVICE_TO_HOST = 2;
    /** {@code cudaMemcpyDeviceToDevice}. */
    static final int DEVICE_TO_DEVICE = 3;

    private final MethodHandle getDeviceCount;
    private final MethodHandle getErrorName;
    private final MethodHandle malloc;
    private final MethodHandle free;
    private final MethodHandle mallocHost;
    private final MethodHandle freeHost;
    private final MethodHandle memcpy;

    private CudaRuntime(LoadedLibrary lib) {
        getDeviceCount = lib.function("cudaGetDeviceCount", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        getErrorName = lib.function("cudaGetErrorName", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        malloc = lib.function("cudaMalloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        free = lib.function("cudaFree", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mallocHost = lib.function("cudaMallocHost", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        freeHost = lib.function("cudaFreeHost", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        memcpy = lib.function("cudaMemcpy", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    /**
     * Opens libcudart at {@code file} and checks that it sees a GPU.
     *
     * @throws CudaUnavailableException when the driver is missing or too old, or there is no GPU, naming the
     *                                  runtime's error code
     */
    public static CudaRuntime open(Path file) {
        CudaRuntime rt = new CudaRuntime(LoadedLibrary.open(file));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            int status = (int) rt.getDeviceCount.invokeExact(count);
            if (status != 0) {
                throw new CudaUnavailableException("no usable CUDA GPU: cudaGetDeviceCount failed with "
                        + rt.errorName(status) + " (" + status + ")" + hint(status));
            }
            if (count.get(JAVA_INT, 0) == 0) {
                throw new CudaUnavailableException("no CUDA GPU: cudaGetDeviceCount found 0 devices");
            }
        } catch (CudaUnavailableException e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaUnavailableException("cudaGetDeviceCount failed: " + t, t);
        }
        return rt;
    }

    private static String hint(int status) {
        // cudaErrorInsufficientDriver (35), cudaErrorNoDevice (100), cudaErrorSystemDriverMismatch (803).
        return switch (status) {
            case 35 -> "; the NVIDIA driver is missing or older than this libcudart";
            case 100 -> "; no GPU is visible (check nvidia-smi and CUDA_VISIBLE_DEVICES)";
            case 803 -> "; the kernel driver and libcuda versions differ";
            default -> "";
        };
    }

    /** The name of a {@code cudaError_t}, e.g. {@code cudaErrorNoDevice}. */
    String errorName(int status) {
        try {
            MemorySegment name = (MemorySegment) getErrorName.invokeExact(status);
            return name.equals(MemorySegment.NULL) ? "cudaError " + status : name.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "cudaError " + status;
        }
    }

    /** {@code bytes} of device memory. */
    MemorySegment deviceAlloc(long bytes) {
        return allocate(malloc, "cudaMalloc", bytes);
    }

    /** Frees device memory. */
    void deviceFree(MemorySegment pointer) {
        call("cudaFree", free, pointer);
    }

    /** {@code bytes} of page-locked host memory, which copies reach at full bus speed, as a segment of that size. */
    MemorySegment pinnedAlloc(long bytes) {
        return allocate(mallocHost, "cudaMallocHost", bytes).reinterpret(bytes);
    }

    /** Frees page-locked host memory. */
    void pinnedFree(MemorySegment pointer) {
        call("cudaFreeHost", freeHost, pointer);
    }

    /** A blocking copy of {@code bytes}; {@code kind} is one of this class's copy directions. */
    void copy(MemorySegment destination, MemorySegment source, long bytes, int kind) {
        int status;
        try {
            status = (int) memcpy.invokeExact(destination, source, bytes, kind);
        } catch (Throwable t) {
            throw new LinearAlgebraException("cudaMemcpy failed: " + t, t);
        }
        check("cudaMemcpy of " + bytes + " bytes", status);
    }

    private MemorySegment allocate(MethodHandle function, String name, long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int status = (int) function.invokeExact(out, bytes);
            check(name + " of " + bytes + " bytes", status);
            return out.get(ValueLayout.ADDRESS, 0);
        } catch (LinearAlgebraException e) {
            throw e;
        } catch (Throwable t) {
            throw new LinearAlgebraException(name + " failed: " + t, t);
        }
    }

    private void call(String name, MethodHandle function, MemorySegment pointer) {
        int status;
        try {
            status = (int) function.invokeExact(pointer);
        } catch (Throwable t) {
            throw new LinearAlgebraException(name + " failed: " + t, t);
        }
        check(name, status);
    }

    private void check(String what, int status) {
        if (status != 0) {
            throw new LinearAlgebraException(what + " failed with " + errorName(status) + " (" + status + ")");
        }
    }
}
