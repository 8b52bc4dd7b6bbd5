package dev.graft.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command's {@code --help} as an 80-column terminal shows it: picocli wraps text at word boundaries it picks
 * itself (after a '.', a '/' or a '-'), which cut example commands and paths in two, e.g. {@code -o .} then
 * {@code /both} on the next line. Examples and tables must fit the width as written, and no word of the help text may
 * be split.
 */
class UsageHelpTest {
    private static final int WIDTH = 80;

    /** Every command and subcommand by its qualified name, help commands included, rendered at {@link #WIDTH}. */
    private static Map<String, CommandLine> everyCommand() {
        Map<String, CommandLine> all = new LinkedHashMap<>();
        collect(Main.commandLine(), all);
        return all;
    }

    private static void collect(CommandLine cl, Map<String, CommandLine> into) {
        cl.setUsageHelpWidth(WIDTH);
        into.put(cl.getCommandSpec().qualifiedName(), cl);
        cl.getSubcommands().values().forEach(sub -> collect(sub, into));
    }

    private static List<String> rendered(CommandLine cl) {
        return cl.getUsageMessage(Help.Ansi.OFF).lines().toList();
    }

    /** The help text as written in the annotations: header, description, footer, each line picocli starts anew. */
    private static List<String> writtenLines(CommandSpec spec) {
        List<String> lines = new ArrayList<>();
        for (String[] block : List.of(spec.usageMessage().header(), spec.usageMessage().description(),
                spec.usageMessage().footer())) {
            for (String s : block) {
                // picocli formats each element, so %n starts a line and %% is one percent sign.
                lines.addAll(Arrays.asList(String.format(Locale.ROOT, s).split("\\R", -1)));
            }
        }
        return lines;
    }

    /** The text as written that a command's help shows: its own, and its subcommands' in the list of commands. */
    private static List<String> writtenText(CommandSpec spec) {
        List<String> text = new ArrayList<>(writtenLines(spec));
        spec.subcommands().values().forEach(sub -> text.addAll(writtenLines(sub.getCommandSpec())));
        return text;
    }

    /** Every whitespace-separated word of the text a command's help shows, argument descriptions included. */
    private static Set<String> writtenWords(CommandSpec spec) {
        List<String> text = writtenText(spec);
        List<ArgSpec> args = new ArrayList<>(spec.options());
        args.addAll(spec.positionalParameters());
        for (ArgSpec a : args) {
            text.addAll(Arrays.asList(a.description()));
        }
        Set<String> words = new HashSet<>();
        for (String t : text) {
            words.addAll(Arrays.asList(t.strip().split("\\s+")));
        }
        words.remove("");
        return words;
    }

    @Test
    void everyCommandIsCovered() {
        assertThat(everyCommand().keySet()).containsExactly("graft", "graft merge", "graft run", "graft inspect",
                "graft diff", "graft convert", "graft export", "graft export gguf", "graft export help", "graft demo", "graft extract", "graft lora", "graft lora apply", "graft lora combine",
                "graft lora extract-from-merge", "graft lora help", "graft compress", "graft decompress",
                "graft eval", "graft score", "graft generate", "graft bench", "graft bench io", "graft bench merge", "graft bench family", "graft bench extract",
                "graft bench compress", "graft bench gguf", "graft bench vocab", "graft bench help", "graft help");
    }

    @Test
    void noLineIsWiderThanTheTerminal() {
        List<String> problems = new ArrayList<>();
        everyCommand().forEach((name, cl) -> {
            for (String line : rendered(cl)) {
                if (line.codePointCount(0, line.length()) > WIDTH) {
                    problems.add(name + ": " + line);
                }
            }
        });
        assertThat(problems).as("lines wider than %d columns", WIDTH).isEmpty();
    }

    /** Examples, recipes and tables are the indented lines; each must come out exactly as written, on one line. */
    @Test
    void examplesAndTablesAreNotWrapped() {
        List<String> problems = new ArrayList<>();
        everyCommand().forEach((name, cl) -> {
            List<String> shown = rendered(cl);
            for (String line : writtenLines(cl.getCommandSpec())) {
                if (line.startsWith(" ") && !shown.contains(line)) {
                    problems.add(name + ": " + line);
                }
            }
        });
        assertThat(problems).as("indented lines that --help wraps (longer than %d columns)", WIDTH).isEmpty();
    }

    /** A word of the text (a path, an option, a number) whose two halves end one line and start the next. */
    @Test
    void noWordIsSplitAcrossLines() {
        List<String> problems = new ArrayList<>();
        everyCommand().forEach((name, cl) -> {
            Set<String> words = writtenWords(cl.getCommandSpec());
            List<String> shown = rendered(cl);
            for (int i = 0; i + 1 < shown.size(); i++) {
                if (shown.get(i).isBlank() || shown.get(i + 1).isBlank()) {
                    continue;
                }
                String[] before = shown.get(i).strip().split("\\s+");
                String[] after = shown.get(i + 1).strip().split("\\s+");
                String joined = before[before.length - 1] + after[0];
                if (words.contains(joined)) {
                    problems.add(name + ": '" + joined + "' split after: " + shown.get(i));
                }
            }
        });
        assertThat(problems).as("words split across lines").isEmpty();
    }

    /** A command quoted in the prose ('graft compress', 'cat FILE > /dev/null') is read as one: one line too. */
    @Test
    void quotedCommandsStayOnOneLine() {
        Pattern quoted = Pattern.compile("'((?:graft|cat) [^']*)'");
        List<String> problems = new ArrayList<>();
        everyCommand().forEach((name, cl) -> {
            List<String> shown = rendered(cl);
            String flowing = String.join(" ", shown.stream().map(String::strip).toList());
            for (String line : writtenText(cl.getCommandSpec())) {
                Matcher m = quoted.matcher(line);
                while (m.find()) {
                    String command = m.group(1);
                    if (flowing.contains(command) && shown.stream().noneMatch(l -> l.contains(command))) {
                        problems.add(name + ": '" + command + "'");
                    }
                }
            }
        });
        assertThat(problems).as("quoted commands split across lines").isEmpty();
    }
}
