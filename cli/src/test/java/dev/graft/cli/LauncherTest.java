package dev.graft.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./graft} launcher's choice of JVM options, checked against the command line it starts: the streaming
 * commands get the Vector API (and the JVM's warning about it), requests for help or the version get nothing.
 * The script is read, not run, so the test needs no shell; the names it holds must be the CLI's.
 */
class LauncherTest {
    private static String script() throws IOException {
        // Surefire runs in the module's folder; the launcher is at the checkout's root.
        return Files.readString(Path.of("..", "graft"));
    }

    /** The shell function {@code graft_asks_help}, from its opening line to its closing brace. */
    private static String asksHelp(String script) {
        Matcher m = Pattern.compile("(?ms)^graft_asks_help\\(\\) \\{$(.*?)^}$").matcher(script);
        assertThat(m.find()).as("graft_asks_help() in ./graft").isTrue();
        return m.group(1);
    }

    private static CommandLine cli() {
        return Main.commandLine();
    }

    @Test
    void helpAndVersionOptionsAreTheCliOnes() throws IOException {
        Matcher m = Pattern.compile("(?m)^\\s*([-|a-zA-Z]+)\\) return 0 ;;$").matcher(asksHelp(script()));
        assertThat(m.find()).isTrue();
        Set<String> inScript = new TreeSet<>(Arrays.asList(m.group(1).split("\\|")));
        Set<String> inCli = new TreeSet<>();
        List<CommandLine> todo = new ArrayList<>(List.of(cli()));
        while (!todo.isEmpty()) {
            CommandLine cl = todo.removeLast();
            for (OptionSpec o : cl.getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp()) {
                    inCli.addAll(Arrays.asList(o.names()));
                }
            }
            todo.addAll(cl.getSubcommands().values());
        }
        assertThat(inScript).containsExactly("--help", "--version", "-V", "-h").isEqualTo(inCli);
    }

    @Test
    void helpSubcommandsOfStreamingCommandsAreTheCliOnes() throws IOException {
        String script = script();
        Matcher streaming = Pattern.compile("(?m)^  ([a-z|]+)\\)\\n    graft_stream=").matcher(script);
        assertThat(streaming.find()).as("the streaming commands' case in ./graft").isTrue();
        List<String> commands = Arrays.asList(streaming.group(1).split("\\|"));
        assertThat(commands).containsExactly("merge", "run", "compress", "decompress", "extract", "lora", "bench",
                "eval", "export");

        Set<String> expected = new TreeSet<>();
        CommandLine root = cli();
        for (String c : commands) {
            CommandLine cl = root.getSubcommands().get(c);
            assertThat(cl).as("graft %s", c).isNotNull();
            cl.getSubcommands().forEach((name, sub) -> {
                if (sub.getCommandSpec().helpCommand()) {
                    expected.add("\"" + c + " " + name + "\"");
                }
            });
        }
        assertThat(root.getSubcommands().get("help").getCommandSpec().helpCommand()).isTrue();
        assertThat(commands).doesNotContain("help");

        Matcher m = Pattern.compile("(?m)^\\s*case \"\\$\\{1:-} \\$\\{2:-}\" in ([^)]+)\\) return 0 ;; esac$")
                .matcher(asksHelp(script));
        assertThat(m.find()).isTrue();
        assertThat(new TreeSet<>(Arrays.asList(m.group(1).split("\\|")))).containsExactly("\"bench help\"",
                "\"export help\"", "\"lora help\"").isEqualTo(expected);
    }

    @Test
    void streamingOptionsAreSkippedWhenHelpIsAsked() throws IOException {
        String script = script();
        assertThat(script).contains("graft_asks_help \"$@\" || case \"${1:-}\" in\n")
                .contains("--add-modules jdk.incubator.vector");
        // The guard comes before the only place the options are chosen.
        assertThat(script.indexOf("graft_asks_help \"$@\" ||")).isLessThan(script.indexOf("graft_stream=\"-XX:"));
        assertThat(asksHelp(script)).contains("--) return 1 ;;");
    }
}
