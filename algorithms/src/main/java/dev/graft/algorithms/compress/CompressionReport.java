package dev.graft.algorithms.compress;

import dev.graft.formats.delta.DeltaManifest;

import java.nio.file.Path;
import java.util.List;

/**
 * What a compression wrote, with the figures it is judged by.
 *
 * @param output    the delta file
 * @param manifest  its manifest: method, parameters, every tensor's encoding and error
 * @param fileBytes the file's size
 * @param seconds   wall time
 * @param warnings  what the user should know (tensors stored losslessly for a reason other than their shape)
 */
public record CompressionReport(Path output, DeltaManifest manifest, long fileBytes, double seconds,
                                List<String> warnings) {
    public CompressionReport {
        warnings = List.copyOf(warnings);
    }

    /** How many times smaller the file is than the delta stored in bf16 (2 bytes per parameter). */
    public double ratioVsBf16Delta() {
        return manifest.ratioVsBf16Delta(fileBytes);
    }

    /** How many times smaller the file is than the fine-tuned model's tensors. */
    public double ratioVsModel() {
        return manifest.ratioVsModel(fileBytes);
    }

    /** Bits stored per fine-tuned parameter, the whole file included. */
    public double bitsPerParameter() {
        return manifest.bitsPerParameter(fileBytes);
    }
}
