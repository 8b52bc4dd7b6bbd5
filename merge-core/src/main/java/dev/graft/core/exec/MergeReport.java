package dev.graft.core.exec;

import java.nio.file.Path;
import java.util.List;

/**
 * What a finished merge did.
 *
 * @param output   the file or folder written
 * @param tensors  tensors written
 * @param bytes    bytes of tensor data written
 * @param seconds  wall time
 * @param warnings what the user should know (from planning and execution)
 */
public record MergeReport(Path output, int tensors, long bytes, double seconds, List<String> warnings) {
    public MergeReport {
        warnings = List.copyOf(warnings);
    }
}
