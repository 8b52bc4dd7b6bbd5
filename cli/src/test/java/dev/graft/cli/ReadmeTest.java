package dev.graft.cli;

import dev.graft.core.method.MethodRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What README.md says about the command line is what it does. */
class ReadmeTest {
    private static final List<String> NUMBERS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen", "twenty");

    @TempDir
    Path dir;

    private static String readme() throws IOException {
        // Surefire runs in the module's folder; the README is at the checkout's root.
        return Files.readString(Path.of("..", "README.md"));
    }

    /**
     * The counts in the introduction are written by hand; the registry is what {@code graft merge} accepts, and
     * each method says whether mergekit has it.
     */
    @Test
    void methodCountIsTheRegistrys() throws IOException {
        Matcher m = Pattern.compile("\\(([\\w-]+) merge methods: mergekit's (\\w+), and (\\w+) ").matcher(readme());
        assertThat(m.find()).as("'(N merge methods: mergekit's M, and K ' in README.md").isTrue();
        MethodRegistry registry = MethodRegistry.load();
        long fromMergekit = registry.names().stream().filter(n -> registry.find(n).orElseThrow().mergekit()).count();
        assertThat(number(m.group(1))).as("README.md's \"%s merge methods\"", m.group(1))
                .isEqualTo(registry.names().size());
        assertThat(number(m.group(2))).as("README.md's \"mergekit's %s\"", m.group(2)).isEqualTo(fromMergekit);
        assertThat(number(m.group(3))).as("README.md's \"and %s\"", m.group(3))
                .isEqualTo(registry.names().size() - fromMergekit);
    }

    /** "twenty-four" → 24. */
    private static int number(String words) {
        int sum = 0;
        for (String w : words.split("-")) {
            sum += w.equals("thirty") ? 30 : w.equals("forty") ? 40 : NUMBERS.indexOf(w);
        }
        return sum;
    }

    @Test
    void methodListIsTheRegistrys() throws IOException {
        MethodRegistry registry = MethodRegistry.load();
        assertThat(listed("`merge` and `run` support (.*?) with mergekit's")).containsExactlyInAnyOrderElementsOf(
                registry.names().stream().filter(n -> registry.find(n).orElseThrow().mergekit()).toList());
        assertThat(listed("Beyond mergekit, they also run (.*?), which")).containsExactlyInAnyOrderElementsOf(
                registry.names().stream().filter(n -> !registry.find(n).orElseThrow().mergekit()).toList());
    }

    private static List<String> listed(String sentence) throws IOException {
        Matcher m = Pattern.compile(sentence, Pattern.DOTALL).matcher(readme());
        assertThat(m.find()).as("'%s' in README.md", sentence).isTrue();
        List<String> listed = new ArrayList<>();
        Matcher name = Pattern.compile("`([a-z_]+)`").matcher(m.group(1));
        while (name.find()) {
            listed.add(name.group(1));
        }
        return listed;
    }

    /**
     * The first shell block of "Using it" runs top to bottom as written, in a scratch folder: every {@code ./graft}
     * line succeeds, so no example reads what an earlier one did not write or writes what an earlier one wrote.
     */
    @Test
    void usingItRunsTopToBottom() throws IOException {
        String readme = readme();
        int section = readme.indexOf("\n## Using it\n");
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        List<String> lines = readme.substring(start, readme.indexOf("\n```\n", start)).lines().toList();
        String where = dir + "/";
        int commands = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = withoutComment(lines.get(i));
            if (line.isEmpty()) {
                continue;
            }
            Matcher heredoc = Pattern.compile("cat > (\\S+) <<'EOF'").matcher(line);
            if (heredoc.matches()) {
                StringBuilder text = new StringBuilder();
                while (!lines.get(++i).equals("EOF")) {
                    // Paths in a recipe are relative to the working directory, as on the command line.
                    text.append(lines.get(i).replace("demo/", where + "demo/")).append('\n');
                }
                Files.writeString(dir.resolve(heredoc.group(1)), text);
                continue;
            }
            assertThat(line).as("a README.md example").startsWith("./graft ");
            List<String> args = words(line.substring("./graft ".length()));
            for (int k = 1; k < args.size(); k++) {
                if (args.get(k).startsWith("demo/") || args.get(k).equals("demo") && args.get(k - 1).equals("--dir")) {
                    // MODEL+ADAPTER: both paths are the scratch folder's
                    args.set(k, where + args.get(k).replace("+demo/", "+" + where + "demo/"));
                }
            }
            Cli.Result r = Cli.graft(args.toArray(String[]::new));
            assertThat(r.code()).as("%s%n%s", line, r.err()).isZero();
            commands++;
        }
        assertThat(commands).isEqualTo(23);
    }

    /** The line up to a {@code #} comment outside quotes, stripped. */
    private static String withoutComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == '#' && !quoted && (i == 0 || line.charAt(i - 1) == ' ')) {
                return line.substring(0, i).strip();
            }
        }
        return line.strip();
    }

    /** Shell words: split at spaces, single quotes taken literally (the README uses no other quoting). */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    words.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(w.toString());
        }
        return words;
    }
}
