package dev.graft.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every example under "Examples:" in every command's {@code --help} runs, as a reader would type it, and succeeds:
 * exit code 0, the outputs it names written (none for a {@code --dry-run}), and valid JSON where it pipes to
 * {@code jq}. The examples are read from the rendered help, so a new command or example is covered without an edit
 * here; what each path it reads is comes from {@link ExampleSandbox}.
 *
 * <p>The CLI runs in-process, which cannot change directory, so every path argument (found by its type in picocli's
 * model, not by its look) is rewritten into the sandbox: {@code ./base} and {@code x} to {@code SANDBOX/base} and
 * {@code SANDBOX/x}, an absolute {@code /tmp/eval.md} to {@code SANDBOX/tmp/eval.md}.
 *
 * <p>Skipped, as long-running by design: {@code graft bench …} (gigabytes of generated models, timed) and
 * {@code graft eval} without {@code --quick} (minutes of training); see {@link #longRunning}.
 */
class HelpExamplesTest {
    private static final int WIDTH = 80;

    /**
     * The options that name what a command writes. A path given to one of them must exist after the run (and not
     * after a dry run); one given elsewhere is an input, which must exist before it.
     */
    private static final Set<String> OUTPUT_OPTIONS = Set.of("--output", "--dir", "--doc", "--keep-intermediate");

    /** A {@code jq} filter that only picks a field ({@code .parameters}, {@code .a.b}): the field must be there. */
    private static final Pattern FIELD_PATH = Pattern.compile("(\\.[A-Za-z_][A-Za-z0-9_]*)+");

    private static final Pattern HELP_RECIPE = Pattern.compile("Example recipe \\((\\S+)\\):");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @TempDir
    static Path work;

    private static ExampleSandbox sandbox;

    /** An example command line, and the commands whose help shows it. */
    record Example(String text, List<String> shownBy) {
    }

    /** An example as a shell reads it: environment assignments, the arguments after graft, the jq filter if piped. */
    record CommandLineWords(Map<String, String> env, List<String> args, String jq) {
    }

    @BeforeAll
    static void prepareSandbox() throws IOException {
        sandbox = new ExampleSandbox(work, helpRecipes());
    }

    /** Every command and subcommand's rendered help, by qualified name, as UsageHelpTest walks them. */
    private static Map<String, List<String>> helpTexts() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        collect(Main.commandLine(), all);
        return all;
    }

    private static void collect(CommandLine cl, Map<String, List<String>> into) {
        cl.setUsageHelpWidth(WIDTH);
        into.put(cl.getCommandSpec().qualifiedName(), cl.getUsageMessage(Help.Ansi.OFF).lines().toList());
        cl.getSubcommands().values().forEach(sub -> collect(sub, into));
    }

    /** The indented lines after {@code heading}'s line, up to a blank or unindented line. */
    private static List<String> blockAfter(List<String> lines, int heading) {
        List<String> block = new ArrayList<>();
        for (int i = heading + 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isBlank() || !Character.isWhitespace(l.charAt(0))) {
                break;
            }
            block.add(l);
        }
        return block;
    }

    /** The examples of one help text, a line ending in a backslash joined with the next. */
    static List<String> examplesIn(List<String> help) {
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < help.size(); i++) {
            if (!help.get(i).strip().equals("Examples:")) {
                continue;
            }
            String pending = null;
            for (String line : blockAfter(help, i)) {
                String s = line.strip();
                pending = pending == null ? s : pending + " " + s;
                if (pending.endsWith("\\")) {
                    pending = pending.substring(0, pending.length() - 1).strip();
                } else {
                    examples.add(pending);
                    pending = null;
                }
            }
            assertThat(pending).as("an example ends in a backslash with nothing after it").isNull();
        }
        return examples;
    }

    /** Every distinct example, in the order of the command tree, with the commands that show it. */
    private static List<Example> examples() {
        Map<String, List<String>> shownBy = new LinkedHashMap<>();
        helpTexts().forEach((command, help) -> {
            for (String e : examplesIn(help)) {
                shownBy.computeIfAbsent(e, k -> new ArrayList<>()).add(command);
            }
        });
        return shownBy.entrySet().stream().map(e -> new Example(e.getKey(), e.getValue())).toList();
    }

    /** The recipes the help shows under "Example recipe (NAME):", by NAME, as a file would hold them. */
    private static Map<String, String> helpRecipes() {
        Map<String, String> recipes = new LinkedHashMap<>();
        for (List<String> help : helpTexts().values()) {
            for (int i = 0; i < help.size(); i++) {
                Matcher m = HELP_RECIPE.matcher(help.get(i).strip());
                if (m.matches()) {
                    StringBuilder text = new StringBuilder();
                    // The help indents the recipe by two columns; YAML's own indentation is what follows.
                    blockAfter(help, i).forEach(l -> text.append(l.substring(2)).append('\n'));
                    recipes.put(m.group(1), text.toString());
                }
            }
        }
        return recipes;
    }

    /**
     * Splits a command line as a POSIX shell does for the examples' needs: words, single and double quotes,
     * backslash escapes, a {@code #} comment, and {@code |} between the commands of a pipeline.
     */
    static List<List<String>> pipeline(String line) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                assertThat(end).as("unterminated quote in: %s", line).isPositive();
                word.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                for (i++; i < line.length() && line.charAt(i) != '"'; i++) {
                    char d = line.charAt(i);
                    if (d == '\\' && i + 1 < line.length() && "$`\"\\".indexOf(line.charAt(i + 1)) >= 0) {
                        d = line.charAt(++i);
                    }
                    word.append(d);
                }
                assertThat(i).as("unterminated quote in: %s", line).isLessThan(line.length());
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (c == '#' && !inWord) {
                break;
            } else if (c == '|' || Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                if (c == '|') {
                    commands.add(words);
                    words = new ArrayList<>();
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        commands.add(words);
        return commands;
    }

    /** An example's words: {@code NAME=value} before graft goes to the environment, a {@code | jq F} pipe to F. */
    static CommandLineWords words(String example) {
        List<List<String>> commands = pipeline(example);
        String jq = null;
        if (commands.size() > 1) {
            assertThat(commands).as("only one pipe, into jq, is supported: %s", example).hasSize(2);
            assertThat(commands.get(1)).as("only a pipe into 'jq FILTER' is supported: %s", example)
                    .hasSize(2).first().isEqualTo("jq");
            jq = commands.get(1).get(1);
        }
        List<String> words = new ArrayList<>(commands.get(0));
        Map<String, String> env = new LinkedHashMap<>();
        while (!words.isEmpty() && words.get(0).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
            String w = words.remove(0);
            env.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
        }
        assertThat(words).as("an example runs graft: %s", example).isNotEmpty().first().isEqualTo("graft");
        return new CommandLineWords(env, words.subList(1, words.size()), jq);
    }

    /** Why an example is not run here, or null: only those that take minutes by design. */
    private static String longRunning(List<ParseResult> chain) {
        String command = chain.getLast().commandSpec().qualifiedName();
        if (command.equals("graft bench") || command.startsWith("graft bench ")) {
            return "graft bench generates models of gigabytes and times its runs: minutes by design";
        }
        if (command.equals("graft eval") && !chain.getLast().hasMatchedOption("--quick")) {
            return "graft eval without --quick trains and merges for minutes by design (--quick runs here)";
        }
        return null;
    }

    private static boolean isPath(ArgSpec a) {
        if (Path.class.equals(a.type())) {
            return true;
        }
        return Collection.class.isAssignableFrom(a.type()) && a.auxiliaryTypes().length > 0
                && Path.class.equals(a.auxiliaryTypes()[0]);
    }

    private static boolean isOutput(ArgSpec a) {
        return a instanceof OptionSpec o && OUTPUT_OPTIONS.contains(o.longestName());
    }

    /** Where a path an example names is in the sandbox. */
    private static Path inSandbox(String value) {
        Path p = Path.of(value);
        Path root = sandbox.root();
        Path s = (p.isAbsolute() ? root.resolve(p.getRoot().relativize(p)) : root.resolve(p)).normalize();
        assertThat(s.startsWith(root) && !s.equals(root)).as("%s is a path inside the sandbox", value).isTrue();
        return s;
    }

    @TestFactory
    Stream<DynamicTest> everyHelpExampleRunsAndSucceeds() {
        List<Example> all = examples();
        assertThat(all).as("examples found in the help").isNotEmpty();
        return all.stream().map(e -> dynamicTest(e.text(), () -> run(e)));
    }

    private static void run(Example example) throws IOException {
        String where = example.text() + " (in the help of " + String.join(", ", example.shownBy()) + ")";
        CommandLineWords words = words(example.text());

        // picocli's own parse says which arguments are paths and which command runs; an example it refuses fails.
        CommandLine parser = Main.commandLine();
        FiniteNumbers.register(parser);
        ParseResult parsed;
        try {
            parsed = parser.parseArgs(words.args().toArray(String[]::new));
        } catch (ParameterException e) {
            throw new AssertionError(where + ": " + e.getMessage(), e);
        }
        List<ParseResult> chain = new ArrayList<>();
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            chain.add(p);
        }
        String skip = longRunning(chain);
        assumeTrue(skip == null, skip);
        boolean dryRun = chain.stream().anyMatch(p -> p.hasMatchedOption("--dry-run"));

        Map<String, Path> inputs = new LinkedHashMap<>();
        Map<String, Path> outputs = new LinkedHashMap<>();
        // MODEL arguments are strings, since MODEL+ADAPTER names two paths: each side is an input.
        Map<String, String> references = new LinkedHashMap<>();
        for (ParseResult p : chain) {
            for (ArgSpec a : p.matchedArgs()) {
                if (String.class.equals(a.type()) || (Collection.class.isAssignableFrom(a.type())
                        && a.auxiliaryTypes().length > 0 && String.class.equals(a.auxiliaryTypes()[0]))) {
                    if ("MODEL".equals(a.paramLabel())) {
                        for (String v : a.originalStringValues()) {
                            List<String> sides = new ArrayList<>();
                            for (String side : v.split("\\+")) {
                                inputs.put(side, inSandbox(side));
                                sides.add(inSandbox(side).toString());
                            }
                            references.put(v, String.join("+", sides));
                        }
                    }
                    continue;
                }
                if (isPath(a)) {
                    for (String v : a.originalStringValues()) {
                        (isOutput(a) ? outputs : inputs).put(v, inSandbox(v));
                    }
                }
            }
        }
        assertThat(words.args()).as("path arguments, each a word of its own: %s", where)
                .containsAll(references.keySet()).containsAll(outputs.keySet());
        List<String> args = words.args().stream().map(w -> {
            if (references.containsKey(w)) {
                return references.get(w);
            }
            Path p = inputs.containsKey(w) ? inputs.get(w) : outputs.get(w);
            return p != null ? p.toString() : w;
        }).toList();

        for (Map.Entry<String, Path> in : inputs.entrySet()) {
            String name = sandbox.root().relativize(in.getValue()).getName(0).toString();
            assertThat(ExampleSandbox.knows(name) || Files.exists(in.getValue()))
                    .as("%s reads %s: add a fixture named '%s' to ExampleSandbox.FIXTURES", where, in.getKey(), name)
                    .isTrue();
            sandbox.ensure(name);
            assertThat(in.getValue()).as("%s reads %s", where, in.getKey()).exists();
        }
        // An output named like a fixture (-o ./merged, which another example reads) must not find it in the way.
        for (Path out : outputs.values()) {
            if (sandbox.root().relativize(out).getNameCount() == 1) {
                sandbox.hide(out.getFileName().toString());
            }
        }
        Set<Path> before = sandbox.entries();
        for (Path out : outputs.values()) {
            Files.createDirectories(out.getParent());
        }

        Cli.Result r = Cli.graft(words.env(), args.toArray(String[]::new));
        try {
            assertThat(r.code()).as("exit code of %s%nstdout:%n%s%nstderr:%n%s", where, r.out(), r.err()).isZero();
            for (Map.Entry<String, Path> out : outputs.entrySet()) {
                if (dryRun) {
                    assertThat(out.getValue()).as("%s: a dry run writes nothing", where).doesNotExist();
                } else {
                    assertThat(out.getValue()).as("%s writes %s", where, out.getKey()).exists();
                }
            }
            if (words.jq() != null) {
                JsonNode json = JSON.readTree(r.out());
                if (FIELD_PATH.matcher(words.jq()).matches()) {
                    JsonNode field = json;
                    for (String f : words.jq().substring(1).split("\\.")) {
                        field = field.path(f);
                    }
                    assertThat(field.isMissingNode()).as("%s: the JSON has %s%n%s", where, words.jq(), r.out())
                            .isFalse();
                }
            }
        } finally {
            for (Path out : outputs.values()) {
                ExampleSandbox.delete(out);
            }
            sandbox.restore(before);
        }
    }

    /** The examples run what a shell would: a quoted pattern loses its quotes, a comment and a pipe are no words. */
    @Test
    void examplesAreReadAsAShellReadsThem() {
        assertThat(pipeline("graft inspect ./m --filter 'layers\\.0\\.'"))
                .containsExactly(List.of("graft", "inspect", "./m", "--filter", "layers\\.0\\."));
        assertThat(pipeline("graft eval --force     # the full run; replaces docs/evaluation.md"))
                .containsExactly(List.of("graft", "eval", "--force"));
        assertThat(pipeline("graft x \"a \\\"b\\\"\" c\\ d e#f"))
                .containsExactly(List.of("graft", "x", "a \"b\"", "c d", "e#f"));
        CommandLineWords w = words("A=1 graft diff a b --json | jq .relative_delta");
        assertThat(w.env()).containsExactly(Map.entry("A", "1"));
        assertThat(w.args()).containsExactly("diff", "a", "b", "--json");
        assertThat(w.jq()).isEqualTo(".relative_delta");
        assertThat(examplesIn(List.of("Examples:", "  graft a \\", "      --b 1 \\", "      -o x", "  graft c", "",
                "  graft not-an-example"))).containsExactly("graft a --b 1 -o x", "graft c");
    }
}
