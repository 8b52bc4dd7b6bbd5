package dev.graft.formats.gguf.export;

/**
 * The row order llama.cpp's converter gives Llama-family {@code q_proj} / {@code k_proj} weights and biases
 * ({@code LlamaModel.permute} in {@code convert_hf_to_gguf.py}):
 *
 * <pre>
 *   w.reshape(heads, 2, rows / heads / 2, …).swapaxes(1, 2).reshape(w.shape)
 * </pre>
 *
 * Transformers rotates the pair (i, i + d/2) of each head of width d ({@code rotate_half}); ggml's normal rotary
 * mode rotates adjacent pairs (2i, 2i + 1). Moving source row {@code h·d + half·d/2 + i} to {@code h·d + 2i + half}
 * makes the two compute the same attention. {@code heads} is {@code num_attention_heads} for queries and
 * {@code num_key_value_heads} for keys.
 *
 * @param rows  the tensor's rows ({@code heads × head_dim})
 * @param heads the head count
 */
public record RotaryPermutation(long rows, int heads) {
    public RotaryPermutation {
        if (heads <= 0 || rows % (2L * heads) != 0) {
            throw new IllegalArgumentException(rows + " rows do not split into " + heads + " heads of even width");
        }
    }

    /** The source row whose values go to row {@code row} of the GGUF tensor. */
    public long sourceRow(long row) {
        long width = rows / heads;
        long half = width / 2;
        long head = row / width;
        long within = row % width;
        return head * width + (within % 2) * half + within / 2;
    }
}
