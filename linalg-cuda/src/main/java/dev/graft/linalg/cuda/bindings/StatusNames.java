package dev.graft.linalg.cuda.bindings;

import java.util.List;

/** The names of cuBLAS's and cuSOLVER's status codes, so an error says which one (values from their headers). */
final class StatusNames {
    private static final List<String> CUBLAS = List.of("CUBLAS_STATUS_SUCCESS", "CUBLAS_STATUS_NOT_INITIALIZED",
            "", "CUBLAS_STATUS_ALLOC_FAILED", "", "", "", "CUBLAS_STATUS_INVALID_VALUE", "CUBLAS_STATUS_ARCH_MISMATCH",
            "", "", "CUBLAS_STATUS_MAPPING_ERROR", "", "CUBLAS_STATUS_EXECUTION_FAILED",
            "CUBLAS_STATUS_INTERNAL_ERROR", "CUBLAS_STATUS_NOT_SUPPORTED", "CUBLAS_STATUS_LICENSE_ERROR");
    private static final List<String> CUSOLVER = List.of("CUSOLVER_STATUS_SUCCESS",
            "CUSOLVER_STATUS_NOT_INITIALIZED", "CUSOLVER_STATUS_ALLOC_FAILED", "CUSOLVER_STATUS_INVALID_VALUE",
            "CUSOLVER_STATUS_ARCH_MISMATCH", "CUSOLVER_STATUS_MAPPING_ERROR", "CUSOLVER_STATUS_EXECUTION_FAILED",
            "CUSOLVER_STATUS_INTERNAL_ERROR", "CUSOLVER_STATUS_MATRIX_TYPE_NOT_SUPPORTED",
            "CUSOLVER_STATUS_NOT_SUPPORTED");

    private StatusNames() {
    }

    /** {@code cublasStatus_t} {@code status} by name, e.g. {@code CUBLAS_STATUS_INVALID_VALUE (7)}. */
    static String cublas(int status) {
        return name(CUBLAS, "cublasStatus", status);
    }

    /** {@code cusolverStatus_t} {@code status} by name. */
    static String cusolver(int status) {
        return name(CUSOLVER, "cusolverStatus", status);
    }

    private static String name(List<String> names, String type, int status) {
        String name = status >= 0 && status < names.size() ? names.get(status) : "";
        return (name.isEmpty() ? type : name) + " (" + status + ")";
    }
}
