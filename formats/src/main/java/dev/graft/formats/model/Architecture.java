package dev.graft.formats.model;

import dev.graft.formats.tensor.TensorSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What kind of network a checkpoint holds: its architecture family and how many blocks (transformer layers) it has.
 *
 * <p>The config is trusted first ({@code model_type}, {@code architectures[0]}, {@code num_hidden_layers} /
 * {@code n_layer}); without one, the family is guessed from characteristic tensor names and the layer count is
 * the highest block index plus one. Disagreement between config and tensors is reported, not resolved: a
 * checkpoint whose config says 32 layers but whose tensors stop at block 15 is most likely truncated.
 *
 * @param family    short lowercase family ({@code llama}, {@code gpt2}, {@code bert}, {@code qwen2} …), or
 *                  {@value #UNKNOWN}
 * @param className the config's {@code architectures[0]} ({@code LlamaForCausalLM}), when there is a config
 * @param source    where the family came from
 * @param layers    the number of blocks (0 when the model has none that Graft recognises)
 * @param warnings  one-line notes on inconsistencies, empty when config and tensors agree
 */
public record Architecture(String family, Optional<String> className, Source source, int layers,
                           List<String> warnings) {
    /** The family of a checkpoint that neither a config nor its tensor names identify. */
    public static final String UNKNOWN = "unknown";

    /**
     * The block containers of the common families, as a dotted segment sequence followed by the block index:
     * {@code layers} (Llama/Mistral/Qwen {@code model.layers}, {@code decoder.layers}, {@code gpt_neox.layers}),
     * {@code h} (GPT-2, Falcon, Bloom {@code transformer.h}), {@code encoder.layer} (BERT) and {@code blocks}
     * (MPT {@code transformer.blocks}) and {@code blk} (GGUF's {@code blk.N.}). Matched at any segment boundary so that prefixed names (PEFT's
     * {@code base_model.model.model.layers.3.}) work; the first match wins, so a MoE expert index
     * ({@code mlp.experts.7.}) is never taken for the layer.
     */
    private static final Pattern BLOCK = Pattern.compile("(?:^|\\.)(?:layers|h|blocks|blk|encoder\\.layer)\\.(\\d+)\\.");

    /** Where {@link #family()} was read from. */
    public enum Source {
        /** {@code model_type} or {@code architectures} in {@code config.json}. */
        CONFIG,
        /** Guessed from names characteristic of a family (no config, or a config without either field). */
        TENSOR_NAMES,
        /** Neither identifies it. */
        NONE
    }

    public Architecture {
        warnings = List.copyOf(warnings);
    }

    /** Detects the architecture of an open model from its config (if any) and tensor names. */
    public static Architecture of(ModelSource model) {
        return detect(model.config().orElse(null), model.tensors().stream().map(TensorSpec::name).toList());
    }

    /**
     * Detects the architecture from a config and tensor names.
     *
     * @param config      the parsed {@code config.json}, or null when the checkpoint has none
     * @param tensorNames every tensor name of the checkpoint
     */
    public static Architecture detect(ModelConfig config, Collection<String> tensorNames) {
        int maxBlock = -1;
        for (String name : tensorNames) {
            OptionalInt i = blockIndex(name);
            if (i.isPresent() && i.getAsInt() > maxBlock) {
                maxBlock = i.getAsInt();
            }
        }
        int fromTensors = maxBlock + 1;

        Optional<String> className = config == null ? Optional.empty() : config.architectures().stream().findFirst();
        Optional<String> configFamily = config == null ? Optional.empty()
                : config.modelType().or(() -> className.map(Architecture::familyOfClass));
        String family;
        Source source;
        if (configFamily.isPresent()) {
            family = configFamily.get();
            source = Source.CONFIG;
        } else {
            family = guessFamily(tensorNames);
            source = family.equals(UNKNOWN) ? Source.NONE : Source.TENSOR_NAMES;
        }

        List<String> warnings = new ArrayList<>();
        OptionalInt declared = config == null ? OptionalInt.empty() : config.numHiddenLayers();
        int layers = declared.orElse(fromTensors);
        if (declared.isPresent() && fromTensors > 0 && declared.getAsInt() != fromTensors) {
            warnings.add("config.json declares " + declared.getAsInt() + " layers but the tensors have blocks 0 to "
                    + maxBlock);
        }
        return new Architecture(family, className, source, layers, warnings);
    }

    /**
     * The block (layer) index of a tensor name: the number after the first known block container.
     *
     * <pre>{@code
     * blockIndex("model.layers.3.mlp.experts.7.w1.weight") == OptionalInt.of(3)
     * blockIndex("transformer.h.11.attn.c_attn.weight")    == OptionalInt.of(11)
     * blockIndex("model.embed_tokens.weight")              == OptionalInt.empty()
     * }</pre>
     */
    public static OptionalInt blockIndex(String tensorName) {
        Matcher m = BLOCK.matcher(tensorName);
        if (!m.find()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(m.group(1)));
        } catch (NumberFormatException e) {
            // more digits than an int holds: not a layer index any real model uses
            return OptionalInt.empty();
        }
    }

    /**
     * The same tensor name in another block: the number {@link #blockIndex} reads is replaced.
     *
     * <pre>{@code
     * withBlockIndex("model.layers.3.mlp.up_proj.weight", 17) == "model.layers.17.mlp.up_proj.weight"
     * }</pre>
     *
     * @throws IllegalArgumentException when the name is not in a block
     */
    public static String withBlockIndex(String tensorName, int index) {
        Matcher m = BLOCK.matcher(tensorName);
        if (!m.find()) {
            throw new IllegalArgumentException(tensorName + " is not in a transformer block");
        }
        return tensorName.substring(0, m.start(1)) + index + tensorName.substring(m.end(1));
    }

    /**
     * {@code LlamaForCausalLM} → {@code llama}, {@code GPT2LMHeadModel} → {@code gpt2}, {@code BertModel} →
     * {@code bert}: the class name up to its task suffix, lower-cased. Used only when the config lacks
     * {@code model_type}.
     */
    static String familyOfClass(String className) {
        String s = className;
        for (String suffix : List.of("For", "LMHeadModel", "Model")) {
            int i = s.indexOf(suffix);
            if (i > 0) {
                s = s.substring(0, i);
            }
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /** The family whose characteristic parameter names appear, or {@value #UNKNOWN}. */
    static String guessFamily(Collection<String> tensorNames) {
        for (String n : tensorNames) {
            if (n.contains("self_attn.q_proj.")) {
                return "llama";
            }
            if (n.contains("attn.c_attn.")) {
                return "gpt2";
            }
            if (n.contains("attention.self.query.")) {
                return "bert";
            }
        }
        return UNKNOWN;
    }
}
