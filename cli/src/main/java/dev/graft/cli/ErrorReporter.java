package dev.graft.cli;

import dev.graft.formats.FormatException;
import dev.graft.formats.io.OutputExistsException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/**
 * Turns exceptions into what a user should see: {@code graft: <one line>} on stderr and exit code 1 for failures,
 * the message and a pointer to {@code --help} with exit code 2 for usage errors. Stack traces only in debug mode,
 * since for expected errors (a missing file, a corrupt header) they bury the one line that matters.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final BooleanSupplier debug;

    /** @param debug whether to print stack traces ({@code --verbose} or {@code GRAFT_DEBUG=1}), asked per error */
    ErrorReporter(BooleanSupplier debug) {
        this.debug = debug;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        if (debug.getAsBoolean()) {
            ex.printStackTrace(err);
        }
        err.println("graft: " + message(ex));
        err.flush();
        return cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("graft: " + ex.getMessage().strip().replace('\n', ' '));
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The one line for an exception: the message of expected errors, the type too for unexpected ones. */
    static String message(Exception ex) {
        String text = switch (ex) {
            case OutputExistsException e -> e.file().map(f -> f + ": already exists; use --force to replace it")
                    .orElse(e.getMessage());
            case dev.graft.core.recipe.RecipeException e -> listing(e.problems(), -1, " in the recipe");
            case FormatException e -> e.getMessage();
            case dev.graft.core.plan.PlanException e -> listing(e.problems(), e.count(), "");
            case UncheckedIOException e -> e.getCause().getMessage();
            case dev.graft.linalg.LinearAlgebraException e -> e.getMessage();
            default -> "internal error: " + ex + " (run with --verbose or GRAFT_DEBUG=1 for details)";
        };
        // One line per problem: plan errors list each on its own line, everything else is one line.
        boolean listing = ex instanceof dev.graft.core.plan.PlanException || ex instanceof dev.graft.core.recipe.RecipeException;
        return listing ? text.strip() : text.strip().replace('\n', ' ');
    }

    /**
     * One problem as it is, several one per line under a count (the exception's own, when it counts problems it
     * does not list). Each distinct line once: the planner and the recipe reader already avoid repeats, and this
     * keeps one from reaching the user should it slip through (it would read as two problems when there is one).
     */
    private static String listing(java.util.List<String> problems, int count, String where) {
        java.util.List<String> lines = problems.stream().distinct().toList();
        // A plan lists some tensor problems and counts the rest; its count is the one to give.
        int n = count >= 0 && lines.size() == problems.size() ? count : lines.size();
        return n == 1 && lines.size() == 1 ? lines.getFirst()
                : n + (n == 1 ? " problem" : " problems") + where + ", nothing was merged:\n  - "
                + String.join("\n  - ", lines);
    }
}
