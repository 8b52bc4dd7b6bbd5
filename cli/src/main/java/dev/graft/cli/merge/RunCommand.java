package dev.graft.cli.merge;

import dev.graft.core.method.MethodRegistry;
import dev.graft.core.plan.MergeRequest;
import dev.graft.core.exec.MergeReport;
import dev.graft.core.recipe.Recipe;
import dev.graft.core.recipe.RecipeRequests;
import dev.graft.core.recipe.RecipeSet;
import dev.graft.formats.shard.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
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
                        + "as in mergekit. Every problem in the recipe is reported before any work starts.",
                "",
                "A recipe of several YAML documents (separated by ---) runs as mergekit-multimerge runs it: a "
                        + "document with a 'name' can be used as a model by the others, the merges run in "
                        + "dependency order, and the final one (the document without a name, or else the one no "
                        + "other uses) goes to OUT; the others go to a hidden folder beside OUT that is deleted "
                        + "afterwards, or to --keep-intermediate DIR."},
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
                "  graft run ties.yml -o merged.safetensors --dry-run",
                "  graft run ties.yml -o merged.gguf --type q8_0 --keep-f16 token_embd",
                "  graft run multi.yml -o ./final --keep-intermediate ./steps"})
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RECIPE", description = "The YAML recipe.")
    Path recipe;

    @picocli.CommandLine.Mixin
    OutputOptions output;

    @Option(names = "--keep-intermediate", paramLabel = "DIR", description = "Keep the named merges of a recipe of "
            + "several documents in DIR/NAME (all of them run, also those the final merge does not use).")
    Path keepIntermediate;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        MethodRegistry methods = MethodRegistry.load();
        Path workingDir = Path.of("").toAbsolutePath();
        // Loaded against the methods so that unknown parameter names come with the recipe's other problems.
        RecipeSet set = RecipeSet.load(recipe, methods, workingDir);
        if (set.isMulti()) {
            return runAll(set, workingDir);
        }
        if (keepIntermediate != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--keep-intermediate is for a "
                    + "recipe of several documents; " + recipe + " has one");
        }
        Recipe r = set.last();
        MergeRequest request = RecipeRequests.toRequest(r, methods, workingDir);
        return output.execute(spec.commandLine(), request, r.outShardSize());
    }

    private int runAll(RecipeSet set, Path workingDir) {
        PrintWriter out = spec.commandLine().getOut();
        Path target = output.model.out();
        if (output.dryRun) {
            // The later plans need the earlier merges' outputs: the order is what a dry run can show.
            int i = 1;
            for (Recipe r : set.ordered()) {
                Path to = r == set.last() ? target : Optional.ofNullable(keepIntermediate)
                        .map(d -> d.resolve(r.name().orElseThrow())).orElse(Path.of("(working folder)", r.name().orElseThrow()));
                out.printf("%d. %s (%s) -> %s%n", i++, r.name().orElse("final merge"), r.mergeMethod(), to);
            }
            out.flush();
            return 0;
        }
        set.run(target, output.options(spec.commandLine()), workingDir, Optional.ofNullable(keepIntermediate),
                !output.model.shardSizeGiven(), report -> {
                    out.printf("Merged %d tensors (%s) into %s in %.1f s%n", report.tensors(),
                            ByteSize.format(report.bytes()), report.output(), report.seconds());
                    report.warnings().forEach(w -> spec.commandLine().getErr().println("graft: warning: " + w));
                    out.flush();
                });
        return 0;
    }
}
