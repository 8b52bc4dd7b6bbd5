package dev.graft.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs {@code graft} in-process and captures what it prints. */
public final class Cli {
    /** What a run printed and returned. */
    public record Result(int code, String out, String err) {
    }

    private Cli() {
    }

    /** Runs {@code graft args} with no environment variables. */
    public static Result graft(String... args) {
        return graft(Map.of(), args);
    }

    /** Runs {@code graft args} with {@code env} as its environment. */
    public static Result graft(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), env, args);
        return new Result(code, out.toString(), err.toString());
    }
}
