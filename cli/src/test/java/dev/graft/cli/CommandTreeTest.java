package dev.graft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Main builds only the command a command line names, and that command behaves as in the whole tree. */
class CommandTreeTest {

    @Test
    void aNamedCommandIsTheOnlyOneBuilt() {
        assertThat(Main.commandLine(new Main(), "merge", "ties", "a", "b").getSubcommands()).containsOnlyKeys("merge");
        assertThat(Main.commandLine(new Main(), "--verbose", "--backend", "cpu", "compress", "bitdelta")
                .getSubcommands()).containsOnlyKeys("compress");
        assertThat(Main.commandLine(new Main(), "--backend=auto", "lora", "apply").getSubcommands())
                .containsOnlyKeys("lora");
        assertThat(Main.commandLine(new Main(), "bench", "merge").getSubcommands().get("bench").getSubcommands())
                .containsKeys("merge", "family");
    }

    @Test
    void helpVersionMistakesAndNoCommandGetTheWholeTree() {
        int all = Main.commandLine().getSubcommands().size();
        assertThat(all).isEqualTo(16);
        for (String[] args : new String[][] {{}, {"--help"}, {"-V", "merge"}, {"help", "merge"}, {"merg"},
                {"--verbose"}, {"--backend", "cpu"}, {"--nonsense", "merge"}}) {
            assertThat(Main.commandLine(new Main(), args).getSubcommands()).as(String.join(" ", args)).hasSize(all);
        }
    }

    @Test
    void theVersionAloneBuildsNoCommandAndPrintsTheSameLines() {
        for (String flag : new String[] {"--version", "-V"}) {
            assertThat(Main.commandLine(new Main(), flag).getSubcommands()).as(flag).isEmpty();
            StringWriter whole = new StringWriter();
            Main.commandLine().printVersionHelp(new PrintWriter(whole, true));
            assertThat(run(flag)).as(flag).isEqualTo(whole.toString()).startsWith("graft ");
        }
    }

    @Test
    void aCommandsHelpIsTheSameAsInTheWholeTree() {
        for (String command : new String[] {"merge", "extract", "compress", "bench"}) {
            CommandLine whole = Main.commandLine().getSubcommands().get(command);
            assertThat(run(command, "--help")).as(command).isEqualTo(whole.getUsageMessage());
        }
    }

    @Test
    void aMistypedSubcommandIsStillSuggested() {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of(), "lora", "aply");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("aply").contains("apply");
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), Map.of(), args);
        assertThat(code).isZero();
        return out.toString();
    }
}
