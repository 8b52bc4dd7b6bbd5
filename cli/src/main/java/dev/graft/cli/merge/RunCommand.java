package dev.graft.cli.merge;

import dev.graft.core.method.MethodRegistry;
import dev.graft.core.plan.MergeRequest;
import dev.graft.core.recipe.Recipe;
import dev.graft.core.recipe.RecipeRequests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code graft run}: a merge described by a mergekit-style YAML recipe. */
@Command(name = "run",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                "Merge as a mergekit-style YAML recipe says.",
                "",
                "The recipe format is mergekit's: merge_method, base_model, models (each with parameters), "
                        + "parameters (numbers, gradient lists, {filter, value} entries), dtype, out_dtype. Graft adds "
                        + "'lines: {alpha, beta}' (LiNeS scaling of the merged task vector; alpha may be auto) and "
                        + "'seed' (random methods). mergekit's out_shard_size (5B = 5 GB) sets the shard limit unless "
                        + "--shard-size is given. Relative model paths resolve against the working directory, "
                        + "as in mergekit. Every problem in the recipe is reported before any work starts."},
        footer = {"", "Example recipe (ties.yml):",
                "  merge_method: ties",
                "  base_model: ./base",
                "  models:",
                "    - model: ./math",
                "      parameters: {weight: 1.0, density: 0.2}",
                "    - model: ./code",
                "      parameters: {weight: 1.0, density: [1, 0.7, 0.1]}",
                "  parameters: {lambda: 1.0}",
                "  dtype: float32",
                "  out_dtype: bfloat16",
                "",
                "Examples:",
                "  graft run ties.yml -o ./merged",
                "  graft run ties.yml -o merged.safetensors --dry-run"})
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RECIPE", description = "The YAML recipe.")
    Path recipe;

    @picocli.CommandLine.Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MethodRegistry methods = MethodRegistry.load();
        // Loaded against the methods so that unknown parameter names come with the recipe's other problems.
        Recipe r = Recipe.load(recipe, methods);
        MergeRequest request = RecipeRequests.toRequest(r, methods, Path.of("").toAbsolutePath());
        return output.execute(spec.commandLine(), request, r.outShardSize());
    }
}
