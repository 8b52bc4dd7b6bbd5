package dev.graft.cli;

import dev.graft.formats.io.OutputNotices;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.LinearAlgebraException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The {@code graft} command line. Exit codes: 0 success, 1 failure, 2 usage error.
 *
 * <p>Tests and embedders call {@link #run(PrintWriter, PrintWriter, Map, String...)}, which never exits the JVM.
 */
@Command(name = "graft",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "Merge, inspect and compare fine-tuned models (safetensors files, Hugging Face folders, PyTorch checkpoints, GGUF files), convert them to safetensors or GGUF, extract, apply and combine LoRA adapters, and compress fine-tuning deltas, on the JVM.",
        optionListHeading = "%nOptions:%n",
        commandListHeading = "%nCommands:%n",
        footer = {"", "New here? Run 'graft demo': it generates a tiny model family and walks through inspect and diff.",
                "", "Examples:",
                "  graft inspect ./Qwen2.5-0.5B",
                "  graft diff ./base ./finetuned --top 10",
                "  graft extract ./base ./finetuned --rank 64 -o ./lora",
                "  graft compress bitdelta ./base ./finetuned -o delta.safetensors",
                "  graft help diff",
                "", "Exit codes: 0 success, 1 failure, 2 usage error. Set GRAFT_DEBUG=1 or pass --verbose for stack "
                + "traces."})
public final class Main implements Runnable {
    /** The commands, in the order the usage help lists them; {@link HelpCommand} last. */
    private static final List<Class<?>> COMMANDS = List.of(dev.graft.cli.merge.MergeCommand.class,
            dev.graft.cli.merge.RunCommand.class, InspectCommand.class, DiffCommand.class, ConvertCommand.class,
            dev.graft.cli.export.ExportCommand.class, DemoCommand.class, dev.graft.cli.lora.ExtractCommand.class,
            dev.graft.cli.lora.LoraCommand.class, dev.graft.cli.compress.CompressCommand.class,
            dev.graft.cli.compress.DecompressCommand.class, EvalCommand.class, dev.graft.cli.lm.ScoreCommand.class,
            dev.graft.cli.lm.GenerateCommand.class, dev.graft.cli.bench.BenchCommand.class, HelpCommand.class);

    /** The environment variable that turns on stack traces, like {@code --verbose}. */
    public static final String DEBUG_ENV = "GRAFT_DEBUG";

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    // Not inherited: given before the command, it applies to whichever runs, without crowding every usage line.
    @Option(names = "--backend", scope = ScopeType.LOCAL, paramLabel = "cpu|cuda|auto",
            description = "Linear-algebra backend of the SVDs and products (extract, compress deltacome|lowrank, "
                    + "lora combine --method svd, the SVD merges, bench), given before the command: cpu (ND4J, the "
                    + "default), cuda (an NVIDIA GPU through the installed CUDA libraries), or auto (cuda when it "
                    + "loads, else cpu with a note). System property: graft.linalg.backend.")
    String backend;

    @Spec
    CommandSpec spec;

    /** Without a command there is nothing to do: say so and show the choices. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (merge, run, inspect, diff, convert, export, extract, lora, compress, decompress, demo, eval, score, generate, bench)");
    }

    /** Runs a command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(out, err, args));
    }

    /** Runs a command line in this process's environment; see {@link #run(PrintWriter, PrintWriter, Map, String...)}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, System.getenv(), args);
    }

    /**
     * Runs a command line.
     *
     * @param out  where reports go
     * @param err  where errors and usage help for errors go
     * @param env  the environment ({@value #DEBUG_ENV} is read from it)
     * @param args the arguments after {@code graft}
     * @return the exit code: 0 success, 1 failure, 2 usage error
     */
    public static int run(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
        Main main = new Main();
        CommandLine cl = commandLine(main, args);
        ErrorReporter errors = new ErrorReporter(() -> main.verbose || "1".equals(env.get(DEBUG_ENV)));
        cl.setOut(out).setErr(err).setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
        FiniteNumbers.register(cl);
        cl.setExecutionStrategy(parsed -> {
            if (main.backend != null) {
                useBackend(main.backend, parsed.subcommands().isEmpty() ? cl
                        : parsed.asCommandLineList().getLast(), err);
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        // What the output code changed on its own (a killed run's temp files removed) is worth a line on stderr.
        OutputNotices.sendTo(note -> {
            err.println("graft: note: " + note);
            err.flush();
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The whole command tree, every command under a new {@code graft}: what the usage help and errors show. */
    public static CommandLine commandLine() {
        return tree(new Main(), COMMANDS);
    }

    private static CommandLine tree(Main main, List<Class<?>> commands) {
        CommandLine cl = new CommandLine(main);
        for (Class<?> command : commands) {
            cl.addSubcommand(command);
        }
        return cl;
    }

    /**
     * The tree that parses {@code args}: no command for the version alone ({@code --version} or {@code -V}), only
     * the command they name, when they name one, else the whole tree (the usage help, {@code help}, a mistyped
     * command's suggestions). picocli reflects over every option of every command it is given; building one
     * command instead of sixteen saves about 0.2 CPU-seconds of start-up, a large part of a small command's run.
     * The one command parses, runs and fails exactly as in the whole tree: it is the same command, added the same
     * way under the same {@code graft}.
     */
    static CommandLine commandLine(Main main, String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return tree(main, List.of());
        }
        String word = commandWord(args);
        for (Class<?> command : COMMANDS) {
            Command annotation = command.getAnnotation(Command.class);
            if (command != HelpCommand.class && annotation.name().equals(word)) {
                return tree(main, List.of(command));
            }
        }
        return tree(main, COMMANDS);
    }

    /**
     * The first argument that is not one of {@code graft}'s own options ({@code --verbose}, {@code --backend X}),
     * or null when an option of another kind comes first (help, version, a mistake: the whole tree answers those).
     */
    private static String commandWord(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--backend")) {
                i++;
            } else if (!arg.equals("--verbose") && !arg.startsWith("--backend=")) {
                return arg.startsWith("-") ? null : arg;
            }
        }
        return null;
    }

    /** Switches the backend before the command runs, so a missing GPU fails at once with the backend's reason. */
    private static void useBackend(String name, CommandLine command, PrintWriter err) {
        try {
            LinearAlgebra.use(name, note -> {
                err.println("graft: " + note);
                err.flush();
            });
        } catch (LinearAlgebraException e) {
            throw new CommandLine.ExecutionException(command, e.getMessage(), e);
        }
    }
}
