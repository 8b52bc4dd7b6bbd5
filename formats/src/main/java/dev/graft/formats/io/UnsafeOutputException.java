package dev.graft.formats.io;

import dev.graft.formats.FormatException;

import java.nio.file.Path;

/**
 * Raised before any work when writing an output could destroy data or could not finish: the output would replace
 * or contain an input, an existing folder holds files Graft did not write, another process is writing the same
 * output, or the file system lacks the space. {@code --force} lifts none of these.
 */
public final class UnsafeOutputException extends FormatException {
    /** Why the output was refused. */
    public enum Reason {
        /** The output is one of the inputs. */
        IS_INPUT,
        /** The output folder contains an input. */
        CONTAINS_INPUT,
        /** The output lies inside an input folder. */
        INSIDE_INPUT,
        /** The existing output holds a file or folder that no Graft output manifest lists. */
        FOREIGN_FILE,
        /** A folder output would replace a file, or a file output a folder. */
        WRONG_KIND,
        /** Another process is writing the same output. */
        LOCKED,
        /** The file system has less free space than the output needs. */
        NO_SPACE
    }

    private final Reason reason;

    UnsafeOutputException(Path target, Reason reason, String message) {
        super(target, message);
        this.reason = reason;
    }

    /** Why the output was refused. */
    public Reason reason() {
        return reason;
    }
}
