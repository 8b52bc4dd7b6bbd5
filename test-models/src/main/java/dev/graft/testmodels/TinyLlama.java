package dev.graft.testmodels;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A Llama-shaped checkpoint ({@code LlamaForCausalLM}, or with {@link #flavor} {@code MistralForCausalLM} and
 * {@code Qwen2ForCausalLM}), with transformers' parameter names and {@code nn.Linear} {@code [out, in]} layout:
 * <pre>
 * model.embed_tokens.weight                         [vocab, hidden]
 * model.layers.{i}.self_attn.{q,o}_proj.weight      [hidden, hidden]
 * model.layers.{i}.self_attn.{k,v}_proj.weight      [kvHeads·headDim, hidden]
 * model.layers.{i}.self_attn.{q,k,v}_proj.bias      (Qwen2 only)
 * model.layers.{i}.mlp.{gate,up}_proj.weight        [intermediate, hidden]
 * model.layers.{i}.mlp.down_proj.weight             [hidden, intermediate]
 * model.layers.{i}.{input,post_attention}_layernorm.weight   [hidden]
 * model.norm.weight                                 [hidden]
 * lm_head.weight                                    [vocab, hidden]   (absent when tied)
 * </pre>
 *
 * <pre>{@code
 * TinyLlama.builder().layers(2).hidden(64).dtype(DType.BF16).seed(1).writeTo(dir);
 * TinyLlama.builder().flavor(TinyLlama.Flavor.QWEN2).tiedEmbeddings(true).writeTo(dir);
 * }</pre>
 */
public final class TinyLlama extends ModelBuilder<TinyLlama> {
    private int layers = 2;
    private int hidden = 64;
    private int intermediate = 128;
    private int vocab = 256;
    private int heads = 4;
    private int kvHeads = -1;
    private boolean tied;
    private Flavor flavor = Flavor.LLAMA;

    /** The member of the Llama family whose config (and, for Qwen2, attention biases) is written. */
    public enum Flavor {
        LLAMA("llama", "LlamaForCausalLM", false),
        MISTRAL("mistral", "MistralForCausalLM", false),
        QWEN2("qwen2", "Qwen2ForCausalLM", true);

        private final String modelType;
        private final String architecture;
        private final boolean attentionBias;

        Flavor(String modelType, String architecture, boolean attentionBias) {
            this.modelType = modelType;
            this.architecture = architecture;
            this.attentionBias = attentionBias;
        }

        /** The config's {@code model_type}. */
        public String modelType() {
            return modelType;
        }

        /** The config's {@code architectures[0]}. */
        public String architecture() {
            return architecture;
        }

        /** Whether q, k and v projections have biases (Qwen2's {@code attention_bias}). */
        public boolean attentionBias() {
            return attentionBias;
        }
    }

    private TinyLlama() {
    }

    /** Defaults: 2 layers, hidden 64, intermediate 128, vocab 256, 4 heads, untied, BF16, seed 0. */
    public static TinyLlama builder() {
        return new TinyLlama();
    }

    public TinyLlama layers(int layers) {
        this.layers = positive("layers", layers);
        return this;
    }

    public TinyLlama hidden(int hidden) {
        this.hidden = positive("hidden", hidden);
        return this;
    }

    public TinyLlama intermediate(int intermediate) {
        this.intermediate = positive("intermediate", intermediate);
        return this;
    }

    public TinyLlama vocab(int vocab) {
        this.vocab = positive("vocab", vocab);
        return this;
    }

    /** Attention heads; must divide {@code hidden}. */
    public TinyLlama heads(int heads) {
        this.heads = positive("heads", heads);
        return this;
    }

    /** Key/value heads for grouped-query attention (default: as many as {@link #heads}); must divide them. */
    public TinyLlama kvHeads(int kvHeads) {
        this.kvHeads = positive("kvHeads", kvHeads);
        return this;
    }

    /** Ties {@code lm_head} to the embeddings: no {@code lm_head.weight} is written. */
    public TinyLlama tiedEmbeddings(boolean tied) {
        this.tied = tied;
        return this;
    }

    /** Which family member to write (default {@link Flavor#LLAMA}). */
    public TinyLlama flavor(Flavor flavor) {
        this.flavor = java.util.Objects.requireNonNull(flavor, "flavor");
        return this;
    }

    @Override
    public TinyModel build() {
        int kv = kvHeads < 0 ? heads : kvHeads;
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden (" + hidden + ") must be a multiple of heads (" + heads + ")");
        }
        if (heads % kv != 0) {
            throw new IllegalArgumentException("heads (" + heads + ") must be a multiple of kvHeads (" + kv + ")");
        }
        int kvDim = kv * (hidden / heads);
        List<TensorBlueprint> t = new ArrayList<>();
        t.add(TensorBlueprint.weight("model.embed_tokens.weight", hidden, vocab, hidden));
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            t.add(TensorBlueprint.weight(p + "self_attn.q_proj.weight", hidden, hidden, hidden));
            t.add(TensorBlueprint.weight(p + "self_attn.k_proj.weight", hidden, kvDim, hidden));
            t.add(TensorBlueprint.weight(p + "self_attn.v_proj.weight", hidden, kvDim, hidden));
            if (flavor.attentionBias()) {
                t.add(TensorBlueprint.bias(p + "self_attn.q_proj.bias", hidden));
                t.add(TensorBlueprint.bias(p + "self_attn.k_proj.bias", kvDim));
                t.add(TensorBlueprint.bias(p + "self_attn.v_proj.bias", kvDim));
            }
            t.add(TensorBlueprint.weight(p + "self_attn.o_proj.weight", hidden, hidden, hidden));
            t.add(TensorBlueprint.weight(p + "mlp.gate_proj.weight", hidden, intermediate, hidden));
            t.add(TensorBlueprint.weight(p + "mlp.up_proj.weight", hidden, intermediate, hidden));
            t.add(TensorBlueprint.weight(p + "mlp.down_proj.weight", intermediate, hidden, intermediate));
            t.add(TensorBlueprint.normScale(p + "input_layernorm.weight", hidden));
            t.add(TensorBlueprint.normScale(p + "post_attention_layernorm.weight", hidden));
        }
        t.add(TensorBlueprint.normScale("model.norm.weight", hidden));
        if (!tied) {
            t.add(TensorBlueprint.weight("lm_head.weight", hidden, vocab, hidden));
        }

        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.putArray("architectures").add(flavor.architecture());
        c.put("hidden_size", hidden);
        c.put("intermediate_size", intermediate);
        c.put("model_type", flavor.modelType());
        c.put("num_attention_heads", heads);
        c.put("num_hidden_layers", layers);
        c.put("num_key_value_heads", kv);
        c.put("tie_word_embeddings", tied);
        c.put("torch_dtype", dtype.torchName());
        c.put("vocab_size", vocab);
        return new TinyModel(t, c, dtype, seed, maxShardBytes);
    }
}
