package dev.graft.evaluation.reconstruct;

import dev.graft.formats.safetensors.SafetensorsFile;
import dev.graft.formats.safetensors.TensorInfo;

import java.nio.file.Path;

/**
 * Storage cost of a stand-in, counted the same way for adapters and compressed deltas: the bytes of tensor data in
 * its safetensors file (not the JSON header, which at the evaluation's model size would dominate) over the
 * parameters of the fine-tune it replaces.
 */
final class StoredBits {
    private StoredBits() {
    }

    /** Bytes of tensor data in a safetensors file. */
    static long tensorBytes(Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.tensors().stream().mapToLong(TensorInfo::byteSize).sum();
        }
    }

    /** Elements of every tensor of a safetensors file. */
    static long parameters(Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.tensors().stream().mapToLong(t -> t.spec().elementCount()).sum();
        }
    }
}
