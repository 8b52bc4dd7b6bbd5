package dev.graft.cli.lora;

import dev.graft.cli.HelpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.List;

/** {@code graft lora}: apply, combine and extract PEFT LoRA adapters. */
@Command(name = "lora",
        subcommands = {ApplyCommand.class, CombineCommand.class, ExtractFromMergeCommand.class,
                HelpCommand.class},
        description = "Merge LoRA adapters into a model, combine adapters into one, or extract one from two checkpoints.",
        commandListHeading = "%nCommands:%n",
        footer = {"", "Examples:",
                "  graft lora apply ./base ./math-lora ./style-lora --weight 1,0.5 -o ./merged",
                "  graft lora combine ./math-lora ./toxic-lora --method cat --weight 1,-1 \\",
                "      -o ./detoxed-lora",
                "  graft lora extract-from-merge ./base ./merged --rank 32 -o ./merge-lora"})
public final class LoraCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (apply, combine, extract-from-merge)");
    }

    /** One weight per adapter from a --weight list of 0 (all 1), 1 (all the same) or one value per adapter. */
    static List<Double> weights(CommandLine cmd, List<Double> given, int adapters) {
        if (given == null || given.isEmpty()) {
            return java.util.Collections.nCopies(adapters, 1.0);
        }
        if (given.size() == 1) {
            return java.util.Collections.nCopies(adapters, given.getFirst());
        }
        if (given.size() != adapters) {
            throw new ParameterException(cmd, "--weight takes 1 value or one per ADAPTER (" + adapters + "), got "
                    + given.size());
        }
        return given;
    }
}
