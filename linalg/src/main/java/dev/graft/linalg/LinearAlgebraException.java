package dev.graft.linalg;

/**
 * A linear-algebra operation failed: a LAPACK routine reported an error or did not converge, the native
 * libraries could not be loaded, or the operands do not fit together. The message names the operation and the
 * shapes involved.
 */
public class LinearAlgebraException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message a user can act on. */
    public LinearAlgebraException(String message) {
        super(message);
    }

    /** An exception with a message and the underlying cause. */
    public LinearAlgebraException(String message, Throwable cause) {
        super(message, cause);
    }
}
