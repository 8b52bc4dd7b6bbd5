package dev.graft.evaluation.llama;

import dev.graft.evaluation.net.Params;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A Llama decoder's parameters: float32 tensors in {@link LlamaShape#names()} order, row-major in the
 * {@code [out, in]} layout they have in a Hugging Face checkpoint.
 */
public record LlamaWeights(LlamaShape shape, Params params) {
    public LlamaWeights {
        List<long[]> shapes = shape.shapes();
        if (params.count() != shapes.size()) {
            throw new IllegalArgumentException(params.count() + " tensors for a shape of " + shapes.size());
        }
        for (int i = 0; i < shapes.size(); i++) {
            long n = 1;
            for (long d : shapes.get(i)) {
                n *= d;
            }
            if (params.tensor(i).length != n) {
                throw new IllegalArgumentException(shape.names().get(i) + " has " + params.tensor(i).length
                        + " values, its shape " + n);
            }
        }
    }

    /**
     * A fresh decoder: RMSNorm scales 1, every matrix Gaussian with standard deviation {@code 1/√fan_in} (the
     * embedding: 1, since RMSNorm rescales what it looks up), the projections that write into the residual stream
     * ({@code o_proj}, {@code down_proj}) shrunk by {@code 1/√(2·layers)} so that the stream's variance does not
     * grow with depth (GPT-2's scheme).
     */
    public static LlamaWeights initial(LlamaShape shape, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> names = shape.names();
        List<long[]> shapes = shape.shapes();
        float[][] t = new float[names.size()][];
        double residual = 1 / Math.sqrt(2.0 * shape.layers());
        for (int i = 0; i < t.length; i++) {
            long[] s = shapes.get(i);
            String name = names.get(i);
            if (s.length == 1) {
                t[i] = new float[(int) s[0]];
                java.util.Arrays.fill(t[i], 1f);
                continue;
            }
            double sd = name.equals("model.embed_tokens.weight") ? 1 : 1 / Math.sqrt(s[1]);
            if (name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight")) {
                sd *= residual;
            }
            t[i] = new float[(int) (s[0] * s[1])];
            for (int j = 0; j < t[i].length; j++) {
                t[i][j] = (float) (rng.nextGaussian() * sd);
            }
        }
        return new LlamaWeights(shape, new Params(t));
    }

    /** The tensors widened to float64, the precision {@link LlamaPass} computes in. */
    public WideWeights widened() {
        double[][] w = new double[params.count()][];
        for (int i = 0; i < w.length; i++) {
            float[] t = params.tensor(i);
            w[i] = new double[t.length];
            for (int j = 0; j < t.length; j++) {
                w[i][j] = t[j];
            }
        }
        return new WideWeights(shape, w);
    }

    /** A deep copy. */
    public LlamaWeights copy() {
        return new LlamaWeights(shape, params.copy());
    }
}
