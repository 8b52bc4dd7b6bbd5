package dev.graft.cli.export;

import dev.graft.cli.HelpCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code graft export}: a model written in another runtime's format. */
@Command(name = "export",
        subcommands = {GgufExportCommand.class, HelpCommand.class},
        description = "Write a model as GGUF for llama.cpp, Ollama and LM Studio.",
        commandListHeading = "%nCommands:%n",
        footer = {"", "Examples:",
                "  graft export gguf ./merged -o merged.gguf --type q8_0"})
public final class ExportCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing format (gguf)");
    }
}
