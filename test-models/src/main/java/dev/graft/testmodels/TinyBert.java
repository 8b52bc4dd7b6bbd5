package dev.graft.testmodels;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A BERT-style encoder checkpoint ({@code BertModel}), with transformers' parameter names and {@code nn.Linear}
 * {@code [out, in]} layout:
 * <pre>
 * embeddings.{word,position,token_type}_embeddings.weight   [vocab | positions | typeVocab, hidden]
 * embeddings.LayerNorm.{weight,bias}                        [hidden]
 * encoder.layer.{i}.attention.self.{query,key,value}.weight [hidden, hidden]        bias [hidden]
 * encoder.layer.{i}.attention.output.dense.weight           [hidden, hidden]        bias [hidden]
 * encoder.layer.{i}.attention.output.LayerNorm.{weight,bias} [hidden]
 * encoder.layer.{i}.intermediate.dense.weight               [intermediate, hidden]  bias [intermediate]
 * encoder.layer.{i}.output.dense.weight                     [hidden, intermediate]  bias [hidden]
 * encoder.layer.{i}.output.LayerNorm.{weight,bias}          [hidden]
 * pooler.dense.weight                                       [hidden, hidden]        bias [hidden]
 * </pre>
 *
 * <pre>{@code
 * TinyBert.builder().layers(2).hidden(64).dtype(DType.F32).writeTo(dir);
 * }</pre>
 */
public final class TinyBert extends ModelBuilder<TinyBert> {
    private int layers = 2;
    private int hidden = 64;
    private int intermediate = 256;
    private int vocab = 256;
    private int positions = 128;
    private int heads = 4;

    private TinyBert() {
    }

    /** Defaults: 2 layers, hidden 64, intermediate 256, vocab 256, 128 positions, 4 heads, BF16, seed 0. */
    public static TinyBert builder() {
        return new TinyBert();
    }

    public TinyBert layers(int layers) {
        this.layers = positive("layers", layers);
        return this;
    }

    public TinyBert hidden(int hidden) {
        this.hidden = positive("hidden", hidden);
        return this;
    }

    public TinyBert intermediate(int intermediate) {
        this.intermediate = positive("intermediate", intermediate);
        return this;
    }

    public TinyBert vocab(int vocab) {
        this.vocab = positive("vocab", vocab);
        return this;
    }

    /** {@code max_position_embeddings}, rows of the position embedding. */
    public TinyBert positions(int positions) {
        this.positions = positive("positions", positions);
        return this;
    }

    /** Attention heads; must divide {@code hidden}. */
    public TinyBert heads(int heads) {
        this.heads = positive("heads", heads);
        return this;
    }

    @Override
    public TinyModel build() {
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden (" + hidden + ") must be a multiple of heads (" + heads + ")");
        }
        List<TensorBlueprint> t = new ArrayList<>();
        t.add(TensorBlueprint.weight("embeddings.word_embeddings.weight", hidden, vocab, hidden));
        t.add(TensorBlueprint.weight("embeddings.position_embeddings.weight", hidden, positions, hidden));
        t.add(TensorBlueprint.weight("embeddings.token_type_embeddings.weight", hidden, 2, hidden));
        layerNorm(t, "embeddings.LayerNorm");
        for (int i = 0; i < layers; i++) {
            String p = "encoder.layer." + i + ".";
            for (String proj : List.of("query", "key", "value")) {
                linear(t, p + "attention.self." + proj, hidden, hidden);
            }
            linear(t, p + "attention.output.dense", hidden, hidden);
            layerNorm(t, p + "attention.output.LayerNorm");
            linear(t, p + "intermediate.dense", intermediate, hidden);
            linear(t, p + "output.dense", hidden, intermediate);
            layerNorm(t, p + "output.LayerNorm");
        }
        linear(t, "pooler.dense", hidden, hidden);

        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.putArray("architectures").add("BertModel");
        c.put("hidden_size", hidden);
        c.put("intermediate_size", intermediate);
        c.put("max_position_embeddings", positions);
        c.put("model_type", "bert");
        c.put("num_attention_heads", heads);
        c.put("num_hidden_layers", layers);
        c.put("torch_dtype", dtype.torchName());
        c.put("type_vocab_size", 2);
        c.put("vocab_size", vocab);
        return new TinyModel(t, c, dtype, seed, maxShardBytes);
    }

    private static void linear(List<TensorBlueprint> t, String name, int out, int in) {
        t.add(TensorBlueprint.weight(name + ".weight", in, out, in));
        t.add(TensorBlueprint.bias(name + ".bias", out));
    }

    private void layerNorm(List<TensorBlueprint> t, String name) {
        t.add(TensorBlueprint.normScale(name + ".weight", hidden));
        t.add(TensorBlueprint.bias(name + ".bias", hidden));
    }
}
