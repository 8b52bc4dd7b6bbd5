package dev.graft.evaluation.net;

import java.util.ArrayList;
import java.util.List;

/**
 * The trunk's sizes: an input projection to {@code width} followed by {@code blocks} residual MLP blocks
 * ({@code h ← h + W_down·relu(W_up·h + b_up) + b_down}, inner size {@code inner}). Tensors are named like a
 * transformer's ({@code model.layers.{i}.mlp.up_proj.weight}, {@code nn.Linear}'s {@code [out, in]} layout) so that
 * Graft reads the blocks as layers and LiNeS's per-block scaling applies.
 */
public record TrunkShape(int inputs, int width, int inner, int blocks) {
    public TrunkShape {
        if (inputs <= 0 || width <= 0 || inner <= 0 || blocks <= 0) {
            throw new IllegalArgumentException("trunk sizes must be positive: " + inputs + ", " + width + ", "
                    + inner + ", " + blocks);
        }
    }

    /** Number of tensors: the input projection's weight and bias, then four per block. */
    public int tensorCount() {
        return 2 + 4 * blocks;
    }

    /** Tensor names in parameter order. */
    public List<String> names() {
        List<String> n = new ArrayList<>(List.of("model.embed_in.weight", "model.embed_in.bias"));
        for (int i = 0; i < blocks; i++) {
            String p = "model.layers." + i + ".mlp.";
            n.addAll(List.of(p + "up_proj.weight", p + "up_proj.bias", p + "down_proj.weight", p + "down_proj.bias"));
        }
        return n;
    }

    /** Tensor shapes in parameter order. */
    public List<long[]> shapes() {
        List<long[]> s = new ArrayList<>(List.of(new long[] {width, inputs}, new long[] {width}));
        for (int i = 0; i < blocks; i++) {
            s.addAll(List.of(new long[] {inner, width}, new long[] {inner}, new long[] {width, inner},
                    new long[] {width}));
        }
        return s;
    }

    /** Parameters in all. */
    public long parameterCount() {
        return (long) width * inputs + width + (long) blocks * (2L * inner * width + inner + width);
    }
}
