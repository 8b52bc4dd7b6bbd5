package dev.graft.cli.bench;

import dev.graft.formats.dtype.DType;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyLlama;
import dev.graft.testmodels.TinyModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.Locale;

/**
 * The options of a realistic benchmark family, shared by the benchmarks that generate one: a Llama-shaped bf16
 * base ({@link TinyLlama}: embedding, attention q/k/v/o, MLP gate/up/down, norms, lm_head) and fine-tunes that are
 * the bf16 rounding of base + a small delta ({@link FineTuneFamily}), so that |delta| takes few distinct values per
 * tensor and magnitude cuts fall inside large tie groups, as in real checkpoints.
 *
 * <p>A preset sets every shape; each shape option overrides its preset's value.
 */
final class LlamaFamilyOptions {
    /** Named shapes: about 135 M parameters (SmolLM-135M's) and about 750 M (issue 14's measurement). */
    enum Preset {
        /** hidden 576, intermediate 1536, 30 layers, vocabulary 49152, 9 heads, 3 kv heads, tied: 134.5 M. */
        SMALL(576, 1536, 30, 49152, 9, 3, true),
        /** hidden 2048, intermediate 5632, 12 layers, vocabulary 32000, 16 heads, untied: 748 M. */
        LARGE(2048, 5632, 12, 32000, 16, 16, false);

        final int hidden;
        final int intermediate;
        final int layers;
        final int vocab;
        final int heads;
        final int kvHeads;
        final boolean tied;

        Preset(int hidden, int intermediate, int layers, int vocab, int heads, int kvHeads, boolean tied) {
            this.hidden = hidden;
            this.intermediate = intermediate;
            this.layers = layers;
            this.vocab = vocab;
            this.heads = heads;
            this.kvHeads = kvHeads;
            this.tied = tied;
        }
    }

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "small",
            description = "Model shape: small (135 M parameters, SmolLM-135M's shape) or large (748 M: hidden 2048, "
                    + "12 layers, vocabulary 32000) (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--hidden", paramLabel = "N", description = "Hidden size (default: the preset's).")
    Integer hidden;

    @Option(names = "--intermediate", paramLabel = "N", description = "MLP intermediate size (default: the preset's).")
    Integer intermediate;

    @Option(names = "--layers", paramLabel = "N", description = "Decoder layers (default: the preset's).")
    Integer layers;

    @Option(names = "--vocab", paramLabel = "N", description = "Vocabulary size (default: the preset's).")
    Integer vocab;

    @Option(names = "--heads", paramLabel = "N", description = "Attention heads; must divide --hidden (default: the preset's).")
    Integer heads;

    @Option(names = "--kv-heads", paramLabel = "N", description = "Key/value heads; must divide --heads (default: the preset's).")
    Integer kvHeads;

    @Option(names = "--changed", paramLabel = "P", defaultValue = "1",
            description = "Fraction of each tensor's elements a fine-tune changes; the others keep the base value "
                    + "exactly (default: ${DEFAULT-VALUE}, all).")
    double changed;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the values (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The base model these options describe. */
    TinyModel base(CommandSpec spec) {
        Preset p;
        try {
            p = Preset.valueOf(preset.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--preset must be small or large, not '" + preset + "'");
        }
        int h = or(hidden, p.hidden);
        // A --hidden the preset's head count does not divide gets one head; explicit counts are checked by the builder.
        int heads = or(this.heads, h % p.heads == 0 ? p.heads : 1);
        int kv = or(kvHeads, heads % p.kvHeads == 0 ? p.kvHeads : heads);
        try {
            return TinyLlama.builder().hidden(h).intermediate(or(intermediate, p.intermediate))
                    .layers(or(layers, p.layers)).vocab(or(vocab, p.vocab)).heads(heads).kvHeads(kv)
                    .tiedEmbeddings(p.tied).dtype(DType.BF16).seed(seed).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The family of {@code fineTunes} fine-tunes of {@link #base}. */
    FineTuneFamily family(CommandSpec spec, int fineTunes) {
        if (!(changed > 0 && changed <= 1)) {
            throw new ParameterException(spec.commandLine(), "--changed must lie in (0, 1], not " + changed);
        }
        if (fineTunes < 1) {
            throw new ParameterException(spec.commandLine(), "--fine-tunes must be at least 1");
        }
        return FineTuneFamily.of(base(spec)).fineTunes(fineTunes).changed(changed).seed(seed + 1);
    }

    private static int or(Integer given, int otherwise) {
        return given != null ? given : otherwise;
    }
}
