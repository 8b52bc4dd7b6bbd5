package dev.graft.formats.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.FileAccessException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code config.json}: typed access to the fields Graft uses, with every field kept for rewriting.
 *
 * <p>Reads both spellings transformers has used: {@code dtype} (≥ 4.56) and {@code torch_dtype}; and GPT-2's
 * attribute names ({@code n_layer}, {@code n_embd}).
 */
public final class ModelConfig {
    public static final String FILE_NAME = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root;

    private ModelConfig(ObjectNode root) {
        this.root = root;
    }

    /**
     * Reads a config file.
     *
     * @throws ModelFormatException when it is not a JSON object
     */
    public static ModelConfig read(Path file) {
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(file));
            if (!(n instanceof ObjectNode o)) {
                throw new ModelFormatException(file, "config must be a JSON object");
            }
            return new ModelConfig(o);
        } catch (NoSuchFileException e) {
            throw new FileAccessException(file, "cannot read model config", e);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ModelFormatException(file, "invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new FileAccessException(file, "cannot read model config", e);
        }
    }

    /** Wraps an already parsed config (copied). */
    public static ModelConfig of(ObjectNode root) {
        return new ModelConfig(root.deepCopy());
    }

    /** A copy of the whole JSON object. */
    public ObjectNode json() {
        return root.deepCopy();
    }

    /** {@code architectures}, e.g. {@code [LlamaForCausalLM]}; empty when absent. */
    public List<String> architectures() {
        List<String> out = new ArrayList<>();
        JsonNode a = root.get("architectures");
        if (a != null && a.isArray()) {
            a.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    /**
     * {@code _name_or_path}: what transformers was given when the model was loaded before it was saved, a Hub id
     * ({@code meta-llama/Llama-3.1-8B}) or a local path of that machine; empty when absent.
     */
    public Optional<String> nameOrPath() {
        return text("_name_or_path");
    }

    /** {@code is_encoder_decoder}: true for T5, BART, Pegasus, Whisper …; transformers defaults it to false. */
    public boolean isEncoderDecoder() {
        JsonNode n = root.get("is_encoder_decoder");
        return n != null && n.isBoolean() && n.booleanValue();
    }

    public Optional<String> modelType() {
        return text("model_type");
    }

    /** {@code num_hidden_layers}, or GPT-2's {@code n_layer}, or {@code num_layers}. */
    public OptionalInt numHiddenLayers() {
        return firstInt("num_hidden_layers", "n_layer", "num_layers");
    }

    /** {@code hidden_size}, or GPT-2's {@code n_embd}, or T5's {@code d_model}. */
    public OptionalInt hiddenSize() {
        return firstInt("hidden_size", "n_embd", "d_model");
    }

    public OptionalInt vocabSize() {
        return firstInt("vocab_size");
    }

    /** {@code tie_word_embeddings}; transformers defaults it to true when absent. */
    public boolean tieWordEmbeddings() {
        JsonNode n = root.get("tie_word_embeddings");
        return n == null || !n.isBoolean() || n.booleanValue();
    }

    /** The declared weight dtype: {@code dtype}, else {@code torch_dtype}. */
    public Optional<DType> dtype() {
        return text("dtype").or(() -> text("torch_dtype")).flatMap(DType::parse);
    }

    /**
     * A copy with the weight dtype set: whichever of {@code dtype} / {@code torch_dtype} the config uses is updated
     * ({@code torch_dtype} when it uses neither, the spelling every transformers version reads).
     */
    public ModelConfig withDtype(DType dtype) {
        ObjectNode copy = root.deepCopy();
        boolean any = false;
        for (String key : List.of("dtype", "torch_dtype")) {
            if (copy.has(key)) {
                copy.put(key, dtype.torchName());
                any = true;
            }
        }
        if (!any) {
            copy.put("torch_dtype", dtype.torchName());
        }
        return new ModelConfig(copy);
    }

    /** A copy whose {@code architectures} is {@code [className]}, as mergekit's {@code override_architecture} sets it. */
    public ModelConfig withArchitecture(String className) {
        ObjectNode copy = root.deepCopy();
        copy.putArray("architectures").add(className);
        return new ModelConfig(copy);
    }

    /**
     * A copy with the block count set, under whichever of {@code num_hidden_layers}, {@code n_layer} and
     * {@code num_layers} the config uses ({@code num_hidden_layers} when none).
     */
    public ModelConfig withLayerCount(int layers) {
        ObjectNode copy = root.deepCopy();
        boolean any = false;
        for (String key : List.of("num_hidden_layers", "n_layer", "num_layers")) {
            if (copy.has(key)) {
                copy.put(key, layers);
                any = true;
            }
        }
        if (!any) {
            copy.put("num_hidden_layers", layers);
        }
        return new ModelConfig(copy);
    }

    private Optional<String> text(String key) {
        JsonNode n = root.get(key);
        return n != null && n.isTextual() ? Optional.of(n.textValue()) : Optional.empty();
    }

    private OptionalInt firstInt(String... keys) {
        for (String k : keys) {
            JsonNode n = root.get(k);
            if (n != null && n.canConvertToInt() && n.isIntegralNumber()) {
                return OptionalInt.of(n.intValue());
            }
        }
        return OptionalInt.empty();
    }
}
