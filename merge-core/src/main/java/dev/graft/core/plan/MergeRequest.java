package dev.graft.core.plan;

import dev.graft.core.vocab.TokenizerRequest;
import dev.graft.formats.dtype.DType;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to merge, independent of how it was written down (YAML recipe, command line, Java builder).
 *
 * @param method     the merge method's name
 * @param models     the inputs, in order; every model the method computes with (the base included)
 * @param baseModel  index of the base model in {@code models}, or -1
 * @param parameters parameter values
 * @param dtype      mergekit's {@code dtype}: inputs are rounded to it when read; arithmetic is float32
 * @param outDtype   dtype written (default: {@code dtype}, else each tensor's dtype in the base/first model)
 * @param lines      LiNeS scaling of the merged task vector, for task-vector methods
 * @param seed       seed of random methods
 * @param recipeText the recipe to record in the output (YAML)
 * @param routing    how output tensors come from input tensors; empty for the usual one-to-one by name
 * @param vocabulary how the request was written, so that problems name the flags or recipe keys the user typed
 * @param tokenizer  the output vocabulary and chat template; {@link TokenizerRequest#NONE} copies the donor's
 */
public record MergeRequest(String method, List<PlannedModel> models, int baseModel, ParameterSource parameters,
                           Optional<DType> dtype, Optional<DType> outDtype, Optional<LinesSetting> lines, long seed,
                           String recipeText, Optional<Routing> routing, Vocabulary vocabulary,
                           TokenizerRequest tokenizer) {
    public MergeRequest {
        models = List.copyOf(models);
        Objects.requireNonNull(vocabulary, "vocabulary");
        Objects.requireNonNull(tokenizer, "tokenizer");
    }

    /** A request that copies the donor's tokenizer files. */
    public MergeRequest(String method, List<PlannedModel> models, int baseModel, ParameterSource parameters,
                        Optional<DType> dtype, Optional<DType> outDtype, Optional<LinesSetting> lines, long seed,
                        String recipeText, Optional<Routing> routing, Vocabulary vocabulary) {
        this(method, models, baseModel, parameters, dtype, outDtype, lines, seed, recipeText, routing, vocabulary,
                TokenizerRequest.NONE);
    }

    /** A request in the builder's {@link Vocabulary#NAMES vocabulary}. */
    public MergeRequest(String method, List<PlannedModel> models, int baseModel, ParameterSource parameters,
                        Optional<DType> dtype, Optional<DType> outDtype, Optional<LinesSetting> lines, long seed,
                        String recipeText, Optional<Routing> routing) {
        this(method, models, baseModel, parameters, dtype, outDtype, lines, seed, recipeText, routing,
                Vocabulary.NAMES);
    }

    /** A request whose output tensors are the base's (or first model's), each merged from the same name. */
    public MergeRequest(String method, List<PlannedModel> models, int baseModel, ParameterSource parameters,
                        Optional<DType> dtype, Optional<DType> outDtype, Optional<LinesSetting> lines, long seed,
                        String recipeText) {
        this(method, models, baseModel, parameters, dtype, outDtype, lines, seed, recipeText, Optional.empty());
    }

    /** This request, its problems spelled in {@code value}. */
    public MergeRequest withVocabulary(Vocabulary value) {
        return new MergeRequest(method, models, baseModel, parameters, dtype, outDtype, lines, seed, recipeText,
                routing, value, tokenizer);
    }

    /** This request with its output vocabulary and chat template set. */
    public MergeRequest withTokenizer(TokenizerRequest value) {
        return new MergeRequest(method, models, baseModel, parameters, dtype, outDtype, lines, seed, recipeText,
                routing, vocabulary, value);
    }
}
