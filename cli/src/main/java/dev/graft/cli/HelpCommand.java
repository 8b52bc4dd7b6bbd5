package dev.graft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpCommandInitializable2;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code graft help [COMMAND...]}: the usage help of a command at any depth ({@code graft help lora combine}).
 *
 * <p>picocli's own {@link CommandLine.HelpCommand} takes one name and looks it up among its parent's subcommands
 * only, so {@code graft help lora combine} showed {@code lora}'s help and ignored {@code combine}. This one follows
 * the names down the tree and refuses a name that is not there. Registered on every command that has subcommands
 * ({@code graft}, {@code lora}, {@code bench}), so {@code graft lora help combine} works too.
 */
@Command(name = "help", helpCommand = true,
        description = "Show the help of a command, or of one of its subcommands.",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        footer = {"", "Examples:", "  graft help merge", "  graft help lora combine", "  graft lora help combine"})
public final class HelpCommand implements IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "The command, then its subcommand, to show the help of (default: the command this help "
                    + "belongs to).")
    List<String> names = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    private CommandLine self;
    private Help.ColorScheme colors;
    private PrintWriter out;

    /** Called by picocli before {@link #run()} with the streams and colours of the command line. */
    @Override
    public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
    }

    /** Prints the help of the command the names lead to, from the command this help is a subcommand of. */
    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : names) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) {
                // Named after the level the lookup failed at, so that "graft help lora bogus" points at lora's list.
                throw new ParameterException(target, "Unknown subcommand '" + name + "' of '"
                        + target.getCommandSpec().qualifiedName() + "'.");
            }
            target = next;
        }
        target.usage(out, colors);
    }
}
