package dev.graft.linalg.cuda.discovery;

import java.util.List;

/**
 * One CUDA shared library the backend needs, by the file names its releases install (newest first) and the folder
 * pip's wheel puts it in ({@code site-packages/nvidia/<wheelFolder>/lib}).
 *
 * @param name        the library's name in messages, e.g. {@code libcublas}
 * @param fileNames   file names to look for, in order of preference
 * @param wheelFolder the folder under {@code site-packages/nvidia} of its pip wheel
 */
public record CudaLibrary(String name, List<String> fileNames, String wheelFolder) {
    /**
     * The CUDA runtime. The sonames are the toolkit's major versions; cuSOLVER's soname lags (CUDA 12 ships
     * libcusolver.so.11), hence the separate lists.
     */
    public static final CudaLibrary CUDART = new CudaLibrary("libcudart",
            List.of("libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0", "libcudart.so"), "cuda_runtime");
    /** cuBLAS's Lt companion, which libcublas links against. */
    public static final CudaLibrary CUBLAS_LT = new CudaLibrary("libcublasLt",
            List.of("libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so.11", "libcublasLt.so"), "cublas");
    /** cuBLAS. */
    public static final CudaLibrary CUBLAS = new CudaLibrary("libcublas",
            List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"), "cublas");
    /** nvJitLink, which cuSPARSE and cuSOLVER of CUDA 12 and later link against. */
    public static final CudaLibrary NVJITLINK = new CudaLibrary("libnvJitLink",
            List.of("libnvJitLink.so.13", "libnvJitLink.so.12", "libnvJitLink.so"), "nvjitlink");
    /** cuSPARSE, which cuSOLVER links against. */
    public static final CudaLibrary CUSPARSE = new CudaLibrary("libcusparse",
            List.of("libcusparse.so.12", "libcusparse.so.11", "libcusparse.so"), "cusparse");
    /** cuSOLVER (dense routines). */
    public static final CudaLibrary CUSOLVER = new CudaLibrary("libcusolver",
            List.of("libcusolver.so.12", "libcusolver.so.11", "libcusolver.so"), "cusolver");

    /** Copies the list. */
    public CudaLibrary {
        fileNames = List.copyOf(fileNames);
    }
}
