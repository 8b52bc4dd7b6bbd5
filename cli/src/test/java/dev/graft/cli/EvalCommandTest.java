package dev.graft.cli;

import dev.graft.evaluation.experiment.EvaluationConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class EvalCommandTest {
    @TempDir
    Path dir;

    @Test
    void quickRunWritesTheReportChartsAndResultsAndRendersThemAgain() throws Exception {
        Path doc = dir.resolve("out/eval.md");
        Files.createDirectories(dir.resolve("out/eval"));
        Files.writeString(dir.resolve("out/eval/discussion.md"), "## Notes\n\nHand-written.\n");
        Cli.Result r = Cli.graft("eval", "--quick", "--threads", "1", "--doc", doc.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("graft: eval: pre-trained (", "graft: eval: seed 1: fine-tuned 3 tasks (",
                "graft: eval: seed 1: merged (");
        assertThat(r.out()).startsWith("normalized accuracy (%)          2 tasks         3 tasks\n"
                + "pretrained  ").contains("\nties+lines  ", "\ntsv+lines  ")
                .contains("Evaluated 1 seeds in ");
        String md = Files.readString(doc);
        assertThat(md).startsWith("# Evaluation: do merges, adapters and compressed deltas keep what fine-tuning "
                        + "learnt?\n")
                .contains("Produced by `graft eval --quick --threads 1` in ", "| phlora rank 64 | ",
                        "| bitdelta | ", "| delta-come 1.0 bits | ", "| compeft density 0.1 | ",
                        "| low rank 1.0 bits | ", "| delta-come 1.0 bits − bitdelta | ",
                        "![normalized accuracy vs tasks](eval/merging.png)")
                .doesNotContain("Pending")
                .endsWith("## Notes\n\nHand-written.\n");
        for (String f : new String[] {"merging.png", "merging-lines.png", "accuracy-vs-bits.png"}) {
            byte[] png = Files.readAllBytes(dir.resolve("out/eval").resolve(f));
            assertThat(png).as(f).startsWith(0x89, 'P', 'N', 'G');
        }

        // An existing report or chart is never replaced without --force, before any work.
        Files.writeString(doc, "hand-edited");
        Cli.Result refused = Cli.graft("eval", "--quick", "--threads", "1", "--doc", doc.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("graft: " + doc + ": already exists; use --force to replace it\n");
        assertThat(Files.readString(doc)).isEqualTo("hand-edited");
        Files.delete(doc);
        Cli.Result charts = Cli.graft("eval", "--from", dir.resolve("out/eval/results.json").toString(), "--doc",
                doc.toString());
        assertThat(charts.err()).isEqualTo("graft: " + dir.resolve("out/eval/merging.png")
                + ": already exists; use --force to replace it\n");
        assertThat(doc).doesNotExist();

        Cli.Result again = Cli.graft("eval", "--from", dir.resolve("out/eval/results.json").toString(), "--doc",
                doc.toString(), "--force");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("Rendered the results of 1 seeds in ");
        assertThat(Files.readString(doc)).isEqualTo(md);
    }

    @Test
    void theHelpDescribesThePublishedConfiguration() {
        // The description is a constant; this keeps it true when EvaluationConfig.full() changes.
        EvaluationConfig full = EvaluationConfig.full(1);
        String counts = full.taskCounts().stream().map(String::valueOf).collect(Collectors.joining(", "));
        int last = counts.lastIndexOf(", ");
        String spoken = last < 0 ? counts : counts.substring(0, last) + " and " + counts.substring(last + 2);
        Cli.Result r = Cli.graft("eval", "--help");
        String help = r.out().replaceAll("\\s+", " ");
        assertThat(help).contains(String.format("A byte-level Llama decoder (%,d parameters)",
                        full.shape().parameterCount()),
                "fine-tuned on each of " + full.tasks().size() + " tasks",
                "at " + spoken + " tasks.");
    }

    @Test
    void aResultsFileThatIsNotOneIsRefused() throws Exception {
        Path bad = dir.resolve("results.json");
        Files.writeString(bad, "{\"merges\": 3}");
        Cli.Result r = Cli.graft("eval", "--from", bad.toString(), "--doc", dir.resolve("x.md").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("graft: " + bad + ": not an evaluation results file (");
        assertThat(dir.resolve("x.md")).doesNotExist();
    }
}
