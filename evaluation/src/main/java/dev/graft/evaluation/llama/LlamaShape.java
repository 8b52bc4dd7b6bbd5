package dev.graft.evaluation.llama;

import java.util.ArrayList;
import java.util.List;

/**
 * The sizes of a Llama-architecture decoder ({@code LlamaForCausalLM}, untied {@code lm_head}), and its tensors in
 * the order {@link LlamaWeights} keeps them, with transformers' names and {@code nn.Linear}'s {@code [out, in]}
 * layout:
 * <pre>
 * model.embed_tokens.weight                          [vocab, hidden]
 * model.layers.{i}.input_layernorm.weight            [hidden]
 * model.layers.{i}.self_attn.q_proj.weight           [heads·headDim, hidden]
 * model.layers.{i}.self_attn.k_proj.weight           [kvHeads·headDim, hidden]
 * model.layers.{i}.self_attn.v_proj.weight           [kvHeads·headDim, hidden]
 * model.layers.{i}.self_attn.o_proj.weight           [hidden, heads·headDim]
 * model.layers.{i}.post_attention_layernorm.weight   [hidden]
 * model.layers.{i}.mlp.gate_proj.weight              [intermediate, hidden]
 * model.layers.{i}.mlp.up_proj.weight                [intermediate, hidden]
 * model.layers.{i}.mlp.down_proj.weight              [hidden, intermediate]
 * model.norm.weight                                  [hidden]
 * lm_head.weight                                     [vocab, hidden]
 * </pre>
 *
 * @param vocab        tokens ({@code vocab_size})
 * @param hidden       residual width ({@code hidden_size})
 * @param intermediate SwiGLU inner width ({@code intermediate_size})
 * @param layers       decoder layers ({@code num_hidden_layers})
 * @param heads        query heads ({@code num_attention_heads}); {@code hidden / heads} is the head size
 * @param kvHeads      key/value heads ({@code num_key_value_heads}), dividing {@code heads}
 * @param maxPositions longest sequence ({@code max_position_embeddings})
 * @param ropeTheta    rotary base ({@code rope_theta})
 * @param rmsEps       RMSNorm epsilon ({@code rms_norm_eps})
 */
public record LlamaShape(int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads,
                         int maxPositions, double ropeTheta, double rmsEps) {
    /** Tensors per decoder layer. */
    static final int PER_LAYER = 9;
    /** Offsets of a layer's tensors from its first. */
    static final int INPUT_NORM = 0;
    static final int Q = 1;
    static final int K = 2;
    static final int V = 3;
    static final int O = 4;
    static final int POST_NORM = 5;
    static final int GATE = 6;
    static final int UP = 7;
    static final int DOWN = 8;

    public LlamaShape {
        if (vocab <= 0 || hidden <= 0 || intermediate <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0
                || maxPositions <= 0) {
            throw new IllegalArgumentException("Llama sizes must be positive: vocab " + vocab + ", hidden " + hidden
                    + ", intermediate " + intermediate + ", layers " + layers + ", heads " + heads + ", kv heads "
                    + kvHeads + ", positions " + maxPositions);
        }
        if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
            throw new IllegalArgumentException("hidden size " + hidden + " must be an even head size times the "
                    + heads + " heads");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " heads are not a multiple of " + kvHeads + " key/value heads");
        }
        if (!(ropeTheta > 1) || !(rmsEps > 0)) {
            throw new IllegalArgumentException("rope theta must be > 1 and RMSNorm epsilon > 0: " + ropeTheta + ", "
                    + rmsEps);
        }
    }

    /** Size of one attention head. */
    public int headDim() {
        return hidden / heads;
    }

    /** Width of the keys and values: {@code kvHeads · headDim}. */
    public int kvDim() {
        return kvHeads * headDim();
    }

    /** Number of tensors: the embedding, nine per layer, the final norm and {@code lm_head}. */
    public int tensorCount() {
        return 3 + PER_LAYER * layers;
    }

    /** Index of the first tensor of {@code layer}. */
    int layerBase(int layer) {
        return 1 + PER_LAYER * layer;
    }

    /** Index of {@code model.norm.weight}. */
    int finalNorm() {
        return 1 + PER_LAYER * layers;
    }

    /** Index of {@code lm_head.weight}. */
    int lmHead() {
        return 2 + PER_LAYER * layers;
    }

    /** Tensor names in parameter order. */
    public List<String> names() {
        List<String> n = new ArrayList<>();
        n.add("model.embed_tokens.weight");
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            n.addAll(List.of(p + "input_layernorm.weight", p + "self_attn.q_proj.weight",
                    p + "self_attn.k_proj.weight", p + "self_attn.v_proj.weight", p + "self_attn.o_proj.weight",
                    p + "post_attention_layernorm.weight", p + "mlp.gate_proj.weight", p + "mlp.up_proj.weight",
                    p + "mlp.down_proj.weight"));
        }
        n.add("model.norm.weight");
        n.add("lm_head.weight");
        return n;
    }

    /** Tensor shapes in parameter order. */
    public List<long[]> shapes() {
        List<long[]> s = new ArrayList<>();
        s.add(new long[] {vocab, hidden});
        for (int i = 0; i < layers; i++) {
            s.addAll(List.of(new long[] {hidden}, new long[] {hidden, hidden}, new long[] {kvDim(), hidden},
                    new long[] {kvDim(), hidden}, new long[] {hidden, hidden}, new long[] {hidden},
                    new long[] {intermediate, hidden}, new long[] {intermediate, hidden},
                    new long[] {hidden, intermediate}));
        }
        s.add(new long[] {hidden});
        s.add(new long[] {vocab, hidden});
        return s;
    }

    /** Parameters in all. */
    public long parameterCount() {
        long perLayer = 2L * hidden + 2L * hidden * hidden + 2L * kvDim() * hidden + 3L * intermediate * hidden;
        return 2L * vocab * hidden + hidden + layers * perLayer;
    }
}
