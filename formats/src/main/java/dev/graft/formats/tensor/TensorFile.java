package dev.graft.formats.tensor;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One weights file opened for reading, whatever its format (a safetensors file, a PyTorch zip checkpoint): named
 * tensors handed out as lazy views of a memory mapping. Model folders and shard sets are built from these, so a
 * sharded checkpoint may be read the same way whichever format its shards are in.
 *
 * <p>Implementations are thread-safe for reading, register the file as an open input while open (so no output
 * replaces it), and unmap it on {@link #close()}; views must not be used afterwards.
 */
public interface TensorFile extends AutoCloseable {
    /** The file. */
    Path path();

    /** Every tensor of the file, in the file's own order. */
    List<TensorSpec> specs();

    /** The spec of a tensor, if the file has it. */
    Optional<TensorSpec> spec(String name);

    /**
     * A lazy view of a tensor: a slice of the whole-file mapping, whose pages stay resident until the file is
     * closed.
     *
     * @throws dev.graft.formats.FormatException when the file has no such tensor
     */
    Tensor tensor(String name);

    /**
     * A tensor mapped on its own in the caller's arena: closing the arena unmaps it and releases its resident
     * pages, for streaming over models larger than memory.
     *
     * @throws dev.graft.formats.FormatException when the file has no such tensor or the region cannot be mapped
     */
    Tensor tensor(String name, Arena arena);

    /**
     * The tensors read dequantized from a block-quantized type (a GGUF file's Q8_0 and Q4_0 tensors): their values
     * carry the quantization's error, which a merge of them merges too. Empty for the float formats.
     */
    default List<String> dequantized() {
        return List.of();
    }

    /** String metadata the format stores beside the tensors (safetensors' {@code __metadata__}); may be empty. */
    Map<String, String> metadata();

    /** Unmaps the file. */
    @Override
    void close();
}
