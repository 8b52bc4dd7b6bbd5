package dev.graft.cli.lora;

import picocli.CommandLine.Command;

/**
 * {@code graft lora extract-from-merge}: the difference between two checkpoints as an adapter, through exactly
 * the extraction of {@code graft extract} (same arguments and options, inherited).
 */
@Command(name = "extract-from-merge",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                "The difference between any two checkpoints as a PEFT LoRA adapter.",
                "",
                "TUNED − BASE (a merge and its base, two fine-tunes, any pair of the same architecture), factored "
                        + "exactly as 'graft extract' does: same code, same options."},
        footer = {"", "Examples:",
                "  graft lora extract-from-merge ./base ./merged --rank 32 -o ./merge-lora"})
public final class ExtractFromMergeCommand extends ExtractCommand {
}
