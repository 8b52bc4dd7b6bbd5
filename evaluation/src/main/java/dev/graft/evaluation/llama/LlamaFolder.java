package dev.graft.evaluation.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.evaluation.net.Params;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.AtomicFile;
import dev.graft.formats.io.AtomicFolder;
import dev.graft.formats.json.PythonJson;
import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A decoder as a Hugging Face {@code LlamaForCausalLM} folder: {@code config.json} with every field transformers'
 * {@code LlamaConfig} reads, {@code generation_config.json} and a float32 {@code model.safetensors} with the
 * names and layouts of {@link LlamaShape}. {@code AutoModelForCausalLM.from_pretrained(folder)} loads it, and
 * Graft's merge, extraction and compression read it as they read any Llama checkpoint.
 */
public final class LlamaFolder {
    /** The {@code architectures} entry this class reads and writes. */
    public static final String ARCHITECTURE = "LlamaForCausalLM";
    /**
     * The largest model {@link #read} loads: the pass keeps float64 copies of the weights (8 bytes a parameter) and
     * runs on a CPU, so a larger one would take minutes a token.
     */
    public static final long MAX_PARAMETERS = 50_000_000L;
    /** The weights file inside a folder. */
    public static final String WEIGHTS = "model.safetensors";

    private LlamaFolder() {
    }

    /**
     * Writes {@code weights} as a model folder, atomically: the folder appears complete or not at all.
     *
     * @param overwrite replace an earlier Graft output there
     * @return the folder
     */
    public static Path write(LlamaWeights weights, Path folder, boolean overwrite) {
        LlamaShape shape = weights.shape();
        List<String> names = shape.names();
        List<long[]> shapes = shape.shapes();
        List<TensorSpec> specs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            specs.add(new TensorSpec(names.get(i), DType.F32, Shape.of(shapes.get(i))));
        }
        try (AtomicFolder out = AtomicFolder.create(folder, overwrite)) {
            try (SafetensorsWriter w = SafetensorsWriter.create(out.temp().resolve(WEIGHTS), specs,
                    SafetensorsWriter.PT_METADATA, false)) {
                for (int i = 0; i < names.size(); i++) {
                    w.writeFloats(names.get(i), weights.params().tensor(i));
                }
                w.commit();
            }
            // save_pretrained's layout: indent 2, sorted keys, trailing newline
            AtomicFile.writeString(out.temp().resolve(ModelConfig.FILE_NAME),
                    PythonJson.dumps(config(shape), 2, true) + "\n", false);
            AtomicFile.writeString(out.temp().resolve("generation_config.json"),
                    PythonJson.dumps(generationConfig(), 2, true) + "\n", false);
            return out.commit();
        }
    }

    /** The {@code config.json} of a decoder of {@code shape}. */
    public static ObjectNode config(LlamaShape shape) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.putArray("architectures").add(ARCHITECTURE);
        c.put("attention_bias", false);
        c.put("attention_dropout", 0.0);
        c.put("bos_token_id", ByteVocabulary.BOS);
        c.put("eos_token_id", ByteVocabulary.EOS);
        c.put("head_dim", shape.headDim());
        c.put("hidden_act", "silu");
        c.put("hidden_size", shape.hidden());
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", shape.intermediate());
        c.put("max_position_embeddings", shape.maxPositions());
        c.put("mlp_bias", false);
        c.put("model_type", "llama");
        c.put("num_attention_heads", shape.heads());
        c.put("num_hidden_layers", shape.layers());
        c.put("num_key_value_heads", shape.kvHeads());
        c.put("pad_token_id", ByteVocabulary.PAD);
        c.put("pretraining_tp", 1);
        c.put("rms_norm_eps", shape.rmsEps());
        c.putNull("rope_scaling");
        c.put("rope_theta", shape.ropeTheta());
        c.put("tie_word_embeddings", false);
        c.put("torch_dtype", DType.F32.torchName());
        c.put("use_cache", true);
        c.put("vocab_size", shape.vocab());
        return c;
    }

    private static ObjectNode generationConfig() {
        ObjectNode g = JsonNodeFactory.instance.objectNode();
        g.put("bos_token_id", ByteVocabulary.BOS);
        g.put("do_sample", false);
        g.put("eos_token_id", ByteVocabulary.EOS);
        g.put("pad_token_id", ByteVocabulary.PAD);
        return g;
    }

    /**
     * Reads a Llama folder (any dtype; a tied {@code lm_head} is read as a copy of the embedding), checking that
     * its config describes what this forward pass computes.
     *
     * @throws LlamaFolderException when it is not a {@code LlamaForCausalLM} folder, uses a feature the pass does
     *                              not have (biases, rope scaling, another activation), holds more than
     *                              {@link #MAX_PARAMETERS}, or its tensors disagree with its config
     */
    public static LlamaWeights read(Path folder) {
        try (ModelSource model = ModelSource.open(folder)) {
            ModelConfig config = model.config().orElseThrow(() -> new LlamaFolderException(folder,
                    "not a Llama model: no config.json"));
            LlamaShape shape = shape(folder, config);
            if (shape.parameterCount() > MAX_PARAMETERS) {
                throw new LlamaFolderException(folder, String.format("%,d parameters is more than the %,d the "
                        + "Java forward pass runs", shape.parameterCount(), MAX_PARAMETERS));
            }
            boolean tied = config.tieWordEmbeddings() && !model.contains("lm_head.weight");
            List<String> names = shape.names();
            List<long[]> shapes = shape.shapes();
            Set<String> expected = new HashSet<>(names);
            for (TensorSpec spec : model.tensors()) {
                // checkpoints saved by transformers before 4.31 carry the rotary table as a buffer
                if (!expected.contains(spec.name()) && !spec.name().endsWith("rotary_emb.inv_freq")) {
                    throw new LlamaFolderException(folder, "unexpected tensor " + spec.name()
                            + " for a LlamaForCausalLM without biases");
                }
            }
            float[][] t = new float[names.size()][];
            for (int i = 0; i < names.size(); i++) {
                String name = tied && i == shape.lmHead() ? names.getFirst() : names.get(i);
                TensorSpec spec = model.spec(name).orElseThrow(() -> new LlamaFolderException(folder,
                        "no tensor " + name));
                long[] dims = spec.shape().dims();
                if (!Arrays.equals(dims, shapes.get(i))) {
                    throw new LlamaFolderException(folder, name + " has shape " + Arrays.toString(dims)
                            + " where config.json implies " + Arrays.toString(shapes.get(i)));
                }
                t[i] = model.tensor(name).toFloatArray();
            }
            return new LlamaWeights(shape, new Params(t));
        }
    }

    /**
     * {@link #read}, and checks that the model speaks {@link ByteVocabulary}, the only tokenizer the evaluation's
     * scoring and generation have.
     *
     * @throws LlamaFolderException as {@link #read} does, and when {@code vocab_size} is not that vocabulary's
     */
    public static LlamaWeights readByteLevel(Path folder) {
        LlamaWeights w = read(folder);
        if (w.shape().vocab() != ByteVocabulary.SIZE) {
            throw new LlamaFolderException(folder, "vocab_size " + w.shape().vocab() + " is not the byte-level "
                    + "vocabulary of " + ByteVocabulary.SIZE + " tokens (256 bytes, BOS, EOS, PAD) that scoring and "
                    + "generation use");
        }
        return w;
    }

    /** The shape a Llama config describes, with transformers' defaults for the fields it may leave out. */
    static LlamaShape shape(Path folder, ModelConfig config) {
        ObjectNode c = config.json();
        if (!config.architectures().contains(ARCHITECTURE)) {
            throw new LlamaFolderException(folder, "not a Llama model: config.json names architectures "
                    + config.architectures() + ", not [" + ARCHITECTURE + "]");
        }
        for (String flag : List.of("attention_bias", "mlp_bias")) {
            if (c.path(flag).asBoolean(false)) {
                throw new LlamaFolderException(folder, "config.json sets " + flag
                        + ", which the Java forward pass does not support");
            }
        }
        if (!c.path("hidden_act").asText("silu").equals("silu")) {
            throw new LlamaFolderException(folder, "config.json's hidden_act " + c.get("hidden_act")
                    + " is not silu, the only activation the Java forward pass has");
        }
        if (c.hasNonNull("rope_scaling")) {
            throw new LlamaFolderException(folder, "config.json sets rope_scaling, which the Java forward pass "
                    + "does not support");
        }
        int hidden = required(folder, c, "hidden_size");
        int heads = required(folder, c, "num_attention_heads");
        int kvHeads = c.has("num_key_value_heads") ? required(folder, c, "num_key_value_heads") : heads;
        if (c.hasNonNull("head_dim") && heads > 0 && c.get("head_dim").asInt() * heads != hidden) {
            throw new LlamaFolderException(folder, "config.json's head_dim " + c.get("head_dim").asInt()
                    + " times " + heads + " heads is not hidden_size " + hidden
                    + ", which the Java forward pass requires");
        }
        try {
            return new LlamaShape(required(folder, c, "vocab_size"), hidden, required(folder, c, "intermediate_size"),
                    required(folder, c, "num_hidden_layers"), heads, kvHeads,
                    c.has("max_position_embeddings") ? required(folder, c, "max_position_embeddings") : 2048,
                    c.path("rope_theta").asDouble(10000), c.path("rms_norm_eps").asDouble(1e-6));
        } catch (IllegalArgumentException e) {
            throw new LlamaFolderException(folder, "config.json: " + e.getMessage());
        }
    }

    private static int required(Path folder, ObjectNode c, String field) {
        JsonNode n = c.get(field);
        if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new LlamaFolderException(folder, "config.json has no whole number " + field);
        }
        return n.intValue();
    }
}
