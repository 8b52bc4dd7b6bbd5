package dev.graft.linalg.cuda;

import dev.graft.linalg.LinearAlgebraException;

/**
 * The CUDA backend cannot run here: a library is missing, the driver refuses, or there is no GPU. The message is
 * one line naming what is missing and where it was looked for.
 */
public class CudaUnavailableException extends LinearAlgebraException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message a user can act on. */
    public CudaUnavailableException(String message) {
        super(message);
    }

    /** An exception with a message and the underlying cause. */
    public CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
