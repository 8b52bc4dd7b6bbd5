package dev.graft.cli.bench;

import dev.graft.cli.HumanUnits;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code graft bench family}: writes a realistic benchmark family as model folders, for timing the cold CLI on it. */
@Command(name = "family",
        optionListHeading = "%nOptions:%n",
        description = {
                "Write a Llama-shaped bf16 base and fine-tunes of it, for timing graft commands on them.",
                "",
                "Writes DIR/base, DIR/ft1 ... DIR/ftN as Hugging Face folders (config.json, model.safetensors). "
                        + "Each fine-tune is the bf16 rounding of the base plus a small delta (a rank-4 part and "
                        + "noise, a few outliers per matrix), so |delta| takes few distinct values per tensor, as "
                        + "in real checkpoints. The same options write the same bytes.",
                "",
                "Needs (fine-tunes + 1) x 2 bytes per parameter in DIR: 1.1 GB for the small preset with three "
                        + "fine-tunes, 6 GB for the large one."},
        footer = {"", "Examples:",
                "  graft bench family --dir family --hidden 64 --layers 2 --vocab 1000",
                "  graft merge ties family/ft1 family/ft2 family/ft3 --base family/base \\",
                "      --weight 1 --density 0.2 -o family-ties",
                "  graft bench family --dir /data/family --preset large --changed 0.1"})
final class FamilyBenchCommand implements Callable<Integer> {
    @Mixin
    LlamaFamilyOptions shape;

    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "Folder to write base/ and ft1/ ... into.")
    Path dir;

    @Option(names = "--fine-tunes", paramLabel = "N", defaultValue = "3", description = "Fine-tunes written (default: ${DEFAULT-VALUE}).")
    int fineTunes;

    @Option(names = "--force", description = "Replace model files left in DIR by an earlier run.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        FineTuneFamily family = shape.family(spec, fineTunes).overwrite(force);
        TinyModel base = shape.base(spec);
        long t0 = System.nanoTime();
        FineTuneFamily.Folders f = family.writeTo(dir);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Wrote %s and %d fine-tunes (%s bf16 parameters, %d tensors each) in %.1f s%n", f.base(),
                f.fineTunes().size(), HumanUnits.count(base.parameterCount()), base.tensors().size(),
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
