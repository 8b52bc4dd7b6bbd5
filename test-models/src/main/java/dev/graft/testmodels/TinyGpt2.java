package dev.graft.testmodels;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A GPT-2-shaped checkpoint ({@code GPT2LMHeadModel} as {@code save_pretrained} writes it), whose projections are
 * transformers' {@code Conv1D}, stored {@code [in, out]}:
 * <pre>
 * transformer.wte.weight                        [vocab, embd]
 * transformer.wpe.weight                        [positions, embd]
 * transformer.h.{i}.ln_1.{weight,bias}          [embd]
 * transformer.h.{i}.attn.c_attn.weight          [embd, 3·embd]     bias [3·embd]
 * transformer.h.{i}.attn.c_proj.weight          [embd, embd]       bias [embd]
 * transformer.h.{i}.ln_2.{weight,bias}          [embd]
 * transformer.h.{i}.mlp.c_fc.weight             [embd, 4·embd]     bias [4·embd]
 * transformer.h.{i}.mlp.c_proj.weight           [4·embd, embd]     bias [embd]
 * transformer.ln_f.{weight,bias}                [embd]
 * </pre>
 * The output head is tied to {@code wte}, so there is no {@code lm_head.weight}.
 */
public final class TinyGpt2 extends ModelBuilder<TinyGpt2> {
    private int layers = 2;
    private int embd = 64;
    private int vocab = 256;
    private int positions = 128;
    private int heads = 4;

    private TinyGpt2() {
    }

    /** Defaults: 2 layers, n_embd 64, vocab 256, 128 positions, 4 heads, BF16, seed 0. */
    public static TinyGpt2 builder() {
        return new TinyGpt2();
    }

    public TinyGpt2 layers(int layers) {
        this.layers = positive("layers", layers);
        return this;
    }

    /** {@code n_embd}, the hidden size. */
    public TinyGpt2 embd(int embd) {
        this.embd = positive("embd", embd);
        return this;
    }

    public TinyGpt2 vocab(int vocab) {
        this.vocab = positive("vocab", vocab);
        return this;
    }

    /** {@code n_positions}, rows of the position embedding. */
    public TinyGpt2 positions(int positions) {
        this.positions = positive("positions", positions);
        return this;
    }

    /** Attention heads; must divide {@code embd}. */
    public TinyGpt2 heads(int heads) {
        this.heads = positive("heads", heads);
        return this;
    }

    @Override
    public TinyModel build() {
        if (embd % heads != 0) {
            throw new IllegalArgumentException("embd (" + embd + ") must be a multiple of heads (" + heads + ")");
        }
        int inner = 4 * embd;
        List<TensorBlueprint> t = new ArrayList<>();
        t.add(TensorBlueprint.weight("transformer.wte.weight", embd, vocab, embd));
        t.add(TensorBlueprint.weight("transformer.wpe.weight", embd, positions, embd));
        for (int i = 0; i < layers; i++) {
            String p = "transformer.h." + i + ".";
            t.add(TensorBlueprint.normScale(p + "ln_1.weight", embd));
            t.add(TensorBlueprint.bias(p + "ln_1.bias", embd));
            // Conv1D: [in, out], so fan_in is the first dimension
            t.add(TensorBlueprint.weight(p + "attn.c_attn.weight", embd, embd, 3L * embd));
            t.add(TensorBlueprint.bias(p + "attn.c_attn.bias", 3L * embd));
            t.add(TensorBlueprint.weight(p + "attn.c_proj.weight", embd, embd, embd));
            t.add(TensorBlueprint.bias(p + "attn.c_proj.bias", embd));
            t.add(TensorBlueprint.normScale(p + "ln_2.weight", embd));
            t.add(TensorBlueprint.bias(p + "ln_2.bias", embd));
            t.add(TensorBlueprint.weight(p + "mlp.c_fc.weight", embd, embd, inner));
            t.add(TensorBlueprint.bias(p + "mlp.c_fc.bias", inner));
            t.add(TensorBlueprint.weight(p + "mlp.c_proj.weight", inner, inner, embd));
            t.add(TensorBlueprint.bias(p + "mlp.c_proj.bias", embd));
        }
        t.add(TensorBlueprint.normScale("transformer.ln_f.weight", embd));
        t.add(TensorBlueprint.bias("transformer.ln_f.bias", embd));

        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.putArray("architectures").add("GPT2LMHeadModel");
        c.put("model_type", "gpt2");
        c.put("n_embd", embd);
        c.put("n_head", heads);
        c.put("n_layer", layers);
        c.put("n_positions", positions);
        c.put("tie_word_embeddings", true);
        c.put("torch_dtype", dtype.torchName());
        c.put("vocab_size", vocab);
        return new TinyModel(t, c, dtype, seed, maxShardBytes);
    }
}
