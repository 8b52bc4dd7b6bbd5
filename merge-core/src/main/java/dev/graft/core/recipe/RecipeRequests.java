package dev.graft.core.recipe;

import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.MethodRegistry;
import dev.graft.core.plan.LinesSetting;
import dev.graft.core.plan.MergeRequest;
import dev.graft.core.plan.ParameterSource;
import dev.graft.core.plan.PlannedModel;
import dev.graft.core.plan.Routing;

import dev.graft.core.vocab.TokenSetting;
import dev.graft.core.vocab.TokenSource;
import dev.graft.core.vocab.TokenizerRequest;
import dev.graft.core.vocab.TokenizerSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/** Turns a parsed {@link Recipe} into the {@link MergeRequest} the planner takes. */
public final class RecipeRequests {
    private RecipeRequests() {
    }

    /**
     * @param workingDir relative model paths resolve against it, as in mergekit
     * @throws RecipeException for features not supported yet and for parameter names the method does not
     *                         declare, all listed
     */
    public static MergeRequest toRequest(Recipe recipe, MethodRegistry methods, Path workingDir) {
        return toRequest(recipe, methods, workingDir, java.util.Map.of());
    }

    /**
     * As {@link #toRequest(Recipe, MethodRegistry, Path)}, with models named after an earlier merge of a
     * {@link RecipeSet} read from where that merge was written.
     *
     * @param merged the earlier merges' outputs by name
     */
    public static MergeRequest toRequest(Recipe recipe, MethodRegistry methods, Path workingDir,
                                         java.util.Map<String, Path> merged) {
        Optional<MergeMethod> method = methods.find(recipe.mergeMethod());
        check(recipe, method);
        List<ModelRef> inputs = new ArrayList<>(recipe.inputs());
        Optional<ModelRef> base = recipe.baseModel();
        if (method.isPresent() && method.get().baseModel() == BaseModel.OPTIONAL && base.isPresent()
                && !recipe.listedModels().contains(base.get())) {
            // mergekit appends an unlisted base as an input; methods that do not compute with a base ignore it.
            inputs.remove(base.get());
        }
        List<PlannedModel> models = inputs.stream()
                .map(m -> new PlannedModel(m.toString(), merged.containsKey(m.path()) && m.revision().isEmpty()
                        ? merged.get(m.path()) : m.resolve(workingDir), m.resolveLora(workingDir), m.overrideArchitecture()))
                .toList();
        int baseIndex = base.map(inputs::indexOf).orElse(-1);
        // A models: recipe is one slice; a slices: recipe's routes carry each slice's own parameters, and the
        // first slice's stand for the request.
        ParameterSource parameters = new ResolvedParameters(recipe.resolver(recipe.outputSlices(m -> 1).getFirst()),
                inputs);
        Optional<Routing> routing = recipe.isSliced() ? Optional.of(new SliceRouting(recipe, inputs)) : Optional.empty();
        Optional<LinesSetting> lines = recipe.lines().map(l -> new LinesSetting(l.alpha(), l.beta()));
        return new MergeRequest(recipe.mergeMethod(), models, baseIndex, parameters, recipe.dtype(), recipe.outDtype(),
                lines, recipe.seed().orElse(0L), recipe.sourceText(), routing, new RecipeVocabulary(recipe, inputs),
                tokenizer(recipe, inputs));
    }

    /** The recipe's tokenizer settings with models as indices of the request's inputs. */
    static TokenizerRequest tokenizer(Recipe recipe, List<ModelRef> inputs) {
        List<String> problems = new ArrayList<>();
        Optional<TokenizerSource> source = recipe.tokenizerSource().map(s -> switch (s) {
            case Recipe.TOKENIZER_BASE -> TokenizerSource.BASE;
            case Recipe.TOKENIZER_UNION -> TokenizerSource.UNION;
            default -> {
                int m = indexOf(inputs, s);
                if (m < 0) {
                    problems.add("tokenizer source " + s + " is not an input of this merge");
                    yield TokenizerSource.BASE;
                }
                yield TokenizerSource.model(m);
            }
        });
        Map<String, TokenSetting> tokens = new LinkedHashMap<>();
        recipe.tokenizerTokens().forEach((token, e) -> {
            int m = e.model().map(inputs::indexOf).orElse(-1);
            if (e.kind() != TokenEmbedding.Kind.ZERO && m < 0) {
                problems.add("tokenizer.tokens[\"" + token + "\"]: model " + e.model().orElseThrow()
                        + " is not an input of this merge");
                return;
            }
            TokenSource src = switch (e.kind()) {
                case MODEL -> new TokenSource.OwnRow(m);
                case MODEL_TOKEN -> new TokenSource.ModelToken(m, e.tokenId(), e.token());
                case ZERO -> new TokenSource.Zero();
            };
            tokens.put(token, new TokenSetting(src, e.force()));
        });
        if (!problems.isEmpty()) {
            throw new RecipeException(recipe.source(), problems);
        }
        TokenizerRequest out = new TokenizerRequest(source, tokens, recipe.padToMultipleOf(), Optional.empty());
        return recipe.chatTemplate().map(out::withChatTemplate).orElse(out);
    }

    private static int indexOf(List<ModelRef> inputs, String model) {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).toString().equals(model)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Features the recipe format has that Graft does not implement yet (refused, never silently ignored), and
     * parameter names the method does not declare: all listed in one exception.
     */
    private static void check(Recipe recipe, Optional<MergeMethod> method) {
        List<ModelRef> refs = new ArrayList<>(recipe.listedModels());
        recipe.baseModel().ifPresent(refs::add);
        List<String> problems = new ArrayList<>(RecipeChecks.unsupported(refs, recipe.tokenizerSource(),
                recipe.tokenizerTokens(), recipe.chatTemplate()));
        method.ifPresent(m -> problems.addAll(RecipeChecks.unknownParameters(m, recipe.parameterBlocks())));
        if (!problems.isEmpty()) {
            throw new RecipeException(recipe.source(), problems);
        }
    }
}
