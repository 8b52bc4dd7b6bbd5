package dev.graft.cli;

import dev.graft.core.inspect.Inspection;

import dev.graft.testmodels.TinyLlama;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @TempDir
    Path dir;

    @Test
    void nonexistentPathFailsWithOneLine() {
        Cli.Result r = Cli.graft("inspect", "no-such-model");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("graft: no-such-model: no such folder\n");
    }

    @Test
    void aMissingFileIsCalledAFile() {
        Cli.Result r = Cli.graft("inspect", dir.resolve("model.safetensors").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + dir.resolve("model.safetensors") + ": no such file\n");
    }

    @Test
    void aTextFileNamedSafetensorsIsNotASafetensorsFile() throws IOException {
        // Before: "header too large: header length 2338328219631577204 exceeds the limit of 100000000 bytes"
        Path text = Files.writeString(dir.resolve("x.safetensors"), "this is some text, a readme that is long enough\n");
        Cli.Result r = Cli.graft("inspect", text.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("graft: " + text
                + ": not a safetensors file: it starts with the text \"this is some text, a rea…\"\n");
    }

    @Test
    void truncatedFileFailsWithOneLineNamingIt() throws IOException {
        Path model = TinyLlama.builder().layers(1).writeTo(dir.resolve("m"));
        Path cut = Files.copy(model.resolve("model.safetensors"), dir.resolve("cut.safetensors"));
        try (RandomAccessFile f = new RandomAccessFile(cut.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        Cli.Result r = Cli.graft("inspect", cut.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("graft: " + cut + ": ").endsWith("(truncated file?)\n");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli.Result r = Cli.graft("inspect", "--bogus", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("""
                graft: Unknown option: '--bogus'
                Try 'graft inspect --help' for more information.
                """);
    }

    @Test
    void missingCommandOrArgumentIsAUsageError() {
        assertThat(Cli.graft()).isEqualTo(new Cli.Result(2, "", """
                graft: missing command (merge, run, inspect, diff, convert, export, extract, lora, compress, decompress, demo, eval, score, generate, bench)
                Try 'graft --help' for more information.
                """));
        assertThat(Cli.graft("diff", "a")).isEqualTo(new Cli.Result(2, "", """
                graft: Missing required parameter: 'B'
                Try 'graft diff --help' for more information.
                """));
        assertThat(Cli.graft("inspect", "x", "--filter", "[")).isEqualTo(new Cli.Result(2, "", """
                graft: Invalid value for option '--filter': '[' is not a regular expression: Unclosed character class at index 0
                Try 'graft inspect --help' for more information.
                """));
    }

    @Test
    void everySubcommandHasHelp() {
        for (String[] cmd : new String[][] {{"merge"}, {"run"}, {"inspect"}, {"diff"}, {"convert"}, {"demo"}, {"bench"}, {"bench", "io"},
                {"extract"}, {"lora"}, {"lora", "apply"}, {"lora", "combine"}, {"lora", "extract-from-merge"},
                {"compress"}, {"decompress"}, {"eval"}, {"score"}, {"generate"}, {"bench", "merge"}, {"bench", "extract"}, {"bench", "compress"},
                {"help"}}) {
            String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 1);
            args[cmd.length] = "--help";
            Cli.Result r = Cli.graft(args);
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).startsWith("Usage: graft " + String.join(" ", cmd) + " ");
        }
    }

    @Test
    void helpAndVersion() {
        Cli.Result version = Cli.graft("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("graft 0.1.0-SNAPSHOT\nJava ");
        Cli.Result help = Cli.graft("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: graft [-hV] [--verbose] [--backend=cpu|cuda|auto] [COMMAND]\n").contains("""
                Commands:
                  merge       Merge models with one method, parameters given as flags.
                  run         Merge as a mergekit-style YAML recipe says.
                  inspect     Show what a checkpoint holds: tensors, sizes, dtypes,
                                architecture.
                  diff        Compare two checkpoints tensor by tensor: how much each one
                                changed.
                  convert     Write a model as safetensors.
                  export      Write a model as GGUF for llama.cpp, Ollama and LM Studio.
                  demo        Try Graft on generated models: inspect, diff and merge, step by
                                step.
                  extract     Extract a PEFT LoRA adapter from a full fine-tune (PHLoRA).
                  lora        Merge LoRA adapters into a model, combine adapters into one, or
                                extract one from two checkpoints.
                  compress    Compress a fine-tune's delta against its base into one file.
                  decompress  Apply a compressed delta to its base model.
                  eval        Measure what merges do to accuracy on a Llama trained in Java.
                  score       Score a byte-level Llama model on the evaluation's text tasks.
                  generate    Continue a prompt with a byte-level Llama model, greedily.
                  bench       Measure Graft's throughput and memory on generated checkpoints.
                """);
        for (String cmd : new String[] {"merge", "run", "inspect", "diff", "convert", "demo", "extract", "lora", "compress", "decompress"}) {
            Cli.Result r = Cli.graft("help", cmd);
            assertThat(r.code()).isZero();
            assertThat(r.out()).startsWith("Usage: graft " + cmd).contains("Examples:\n  graft " + cmd);
        }
    }

    @Test
    void helpFollowsSubcommandsDown() {
        Cli.Result combine = Cli.graft("help", "lora", "combine");
        assertThat(combine.code()).isZero();
        assertThat(combine.err()).isEmpty();
        assertThat(combine.out()).isEqualTo(Cli.graft("lora", "combine", "--help").out())
                .startsWith("Usage: graft lora combine [-hqV] ");
        assertThat(Cli.graft("lora", "help", "combine").out()).isEqualTo(combine.out());
        assertThat(Cli.graft("help", "bench", "io").out()).startsWith("Usage: graft bench io [-hV] ");
        assertThat(Cli.graft("help", "lora").out()).startsWith("Usage: graft lora [-hV] [--verbose] [COMMAND]\n");
        assertThat(Cli.graft("help").out()).isEqualTo(Cli.graft("--help").out());
        assertThat(Cli.graft("help", "lora", "bogus")).isEqualTo(new Cli.Result(2, "", """
                graft: Unknown subcommand 'bogus' of 'graft lora'.
                Try 'graft lora --help' for more information.
                """));
        assertThat(Cli.graft("help", "inspect", "extra")).isEqualTo(new Cli.Result(2, "", """
                graft: Unknown subcommand 'extra' of 'graft inspect'.
                Try 'graft inspect --help' for more information.
                """));
    }

    @Test
    void verboseOrGraftDebugAddsTheStackTrace() {
        Cli.Result quiet = Cli.graft("inspect", "missing");
        assertThat(quiet.err()).doesNotContain("\tat ");
        for (Cli.Result r : new Cli.Result[] {Cli.graft("inspect", "missing", "--verbose"),
                Cli.graft("--verbose", "inspect", "missing"), Cli.graft(Map.of("GRAFT_DEBUG", "1"), "inspect", "missing")}) {
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).startsWith("dev.graft.formats.model.ModelFormatException: missing: no such folder\n")
                    .contains("\tat dev.graft.core.inspect.Inspection.of(")
                    .endsWith("graft: missing: no such folder\n");
        }
    }

    @Test
    void existingOutputSuggestsForce() {
        Path out = dir.resolve("demo");
        assertThat(Cli.graft("demo", "--dir", out.toString()).code()).isZero();
        Cli.Result again = Cli.graft("demo", "--dir", out.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("graft: " + out.resolve("base").resolve("model.safetensors")
                + ": already exists; use --force to replace it\n");
        assertThat(Cli.graft("demo", "--dir", out.toString(), "--force").code()).isZero();
    }

    @Test
    void aProblemListedTwiceIsPrintedOnce() {
        assertThat(ErrorReporter.message(new dev.graft.core.plan.PlanException(java.util.List.of("a", "b", "a"))))
                .isEqualTo("2 problems, nothing was merged:\n  - a\n  - b");
        assertThat(ErrorReporter.message(new dev.graft.core.plan.PlanException(java.util.List.of("a", "a"))))
                .isEqualTo("a");
    }

    @Test
    void unexpectedErrorsAreLabelledInternal() {
        assertThat(ErrorReporter.message(new IllegalStateException("boom")))
                .isEqualTo("internal error: java.lang.IllegalStateException: boom (run with --verbose or GRAFT_DEBUG=1 for details)");
    }
}
