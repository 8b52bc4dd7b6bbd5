package dev.graft.cli;

import dev.graft.formats.model.ModelSource;
import dev.graft.formats.pytorch.Pickler;
import dev.graft.formats.pytorch.TorchSave;
import dev.graft.formats.testing.SameTensors;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyLlama;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.graft.cli.Cli.graft;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code graft convert}, and PyTorch checkpoints taken by the other commands. */
class ConvertCommandTest {
    @TempDir
    static Path models;

    static FineTuneFamily.Folders family;
    /** The family's base and first fine-tune saved as transformers saves .bin folders (the base in 3 shards). */
    static Path baseBin;
    static Path tunedBin;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeModels() throws IOException {
        family = FineTuneFamily.of(TinyLlama.builder().seed(2).build()).fineTunes(1).seed(4).writeTo(models);
        baseBin = models.resolve("base-bin");
        tunedBin = models.resolve("ft1-bin");
        try (ModelSource base = ModelSource.open(family.base()); ModelSource ft = ModelSource.open(family.fineTunes().getFirst())) {
            TorchSave.writeModel(base, baseBin, 3);
            TorchSave.writeModel(ft, tunedBin, 1);
        }
        Files.writeString(baseBin.resolve("tokenizer.json"), "{\"model\": {}}");
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aShardedBinFolderBecomesTheSafetensorsModelItWasMadeFromBitForBit() throws IOException {
        Path out = dir.resolve("converted");
        Cli.Result r = graft("convert", baseBin.toString(), "-o", out.toString(), "-q");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).matches("Converted 21 tensors \\(230 kB\\) from " + java.util.regex.Pattern.quote(
                baseBin.toString()) + " into " + java.util.regex.Pattern.quote(out.toString()) + " in [0-9]+\\.[0-9] s\n");
        assertThat(names(out)).containsExactly(".graft-manifest.json", "config.json", "model.safetensors",
                "tokenizer.json");
        SameTensors.assertSame(family.base(), out);
        try (ModelSource m = ModelSource.open(out)) {
            assertThat(m.config().orElseThrow().architectures()).containsExactly("LlamaForCausalLM");
        }
    }

    @Test
    void shardSizeForceAndVerboseWorkAsForMerges() throws IOException {
        Path out = dir.resolve("sharded");
        assertThat(graft("convert", tunedBin.resolve("pytorch_model.bin").toString(), "-o", out.toString(),
                "--shard-size", "100kB", "-q").code()).isZero();
        assertThat(names(out)).containsExactly(".graft-manifest.json", "config.json", "model-00001-of-00003.safetensors",
                "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors", "model.safetensors.index.json");
        SameTensors.assertSame(family.fineTunes().getFirst(), out);
        Cli.Result again = graft("convert", tunedBin.toString(), "-o", out.toString(), "-q");
        assertThat(again).isEqualTo(new Cli.Result(1, "", "graft: " + out + ": already exists; use --force to "
                + "replace it\n"));
        Cli.Result verbose = graft("convert", tunedBin.toString(), "-o", out.toString(), "--force", "--verbose");
        assertThat(verbose.code()).isZero();
        // Tensors finish in whatever order the threads take: one line each, counted up to 21.
        assertThat(verbose.err().lines().toList()).hasSize(21).anyMatch(l -> l.startsWith("  [21/21] "))
                .anyMatch(l -> l.endsWith("] model.norm.weight [64]"))
                .allMatch(l -> l.matches("  \\[[0-9]+/21] \\S+ \\[[0-9, ]+]"));
        Cli.Result badSize = graft("convert", tunedBin.toString(), "-o", dir.resolve("x").toString(), "--shard-size",
                "lots");
        assertThat(badSize.code()).isEqualTo(2);
        assertThat(badSize.err()).startsWith("graft: --shard-size: ");
    }

    @Test
    void hostileAndLegacyCheckpointsAreRefusedAndNothingIsWritten() throws IOException {
        Path marker = dir.resolve("pwned");
        Path hostile = dir.resolve("pytorch_model.bin");
        new TorchSave().zip(new Pickler().proto().rawGlobal("posix", "system").str("touch " + marker).op(0x85)
                .op('R').stop().toByteArray()).write(hostile);
        Path out = dir.resolve("out.safetensors");
        assertThat(graft("convert", hostile.toString(), "-o", out.toString())).isEqualTo(new Cli.Result(1, "",
                "graft: " + hostile + ": refused pickle global posix.system in archive/data.pkl: a checkpoint may use "
                        + "only torch's tensor-rebuild functions, storage types and collections.OrderedDict (nothing "
                        + "was executed)\n"));
        Path legacy = Files.write(dir.resolve("legacy.pt"), new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10});
        assertThat(graft("convert", legacy.toString(), "-o", out.toString()).err()).isEqualTo("graft: " + legacy
                + ": is in PyTorch's legacy format (a bare pickle: torch.save before 1.6, or with "
                + "_use_new_zipfile_serialization=False), which Graft does not read: load it with torch and save it "
                + "again with torch 1.6 or newer (or as safetensors)\n");
        assertThat(marker).doesNotExist();
        assertThat(names(dir)).containsExactly("legacy.pt", "pytorch_model.bin");
    }

    @Test
    void theOutputIsNeverAnInput() throws IOException {
        Path out = tunedBin.resolve("model.safetensors");
        assertThat(graft("convert", tunedBin.toString(), "-o", out.toString(), "--force")).isEqualTo(new Cli.Result(1,
                "", "graft: " + out + ": the output lies inside the input folder " + tunedBin.toRealPath()
                + "; write it outside the input\n"));
        assertThat(out).doesNotExist();
    }

    /** Every other command reads the checkpoints too: inspect, diff and merge here. */
    @Test
    void otherCommandsTakePytorchCheckpoints() {
        Cli.Result inspect = graft("inspect", baseBin.toString(), "--no-tensors");
        assertThat(inspect.err()).isEmpty();
        assertThat(inspect.code()).isZero();
        assertThat(inspect.out()).contains("pytorch_model-00001-of-00003.bin").contains("LlamaForCausalLM");
        Cli.Result diff = graft("diff", baseBin.toString(), family.base().toString(), "--json");
        // the stand-in tokenizer.json written above is no tokenizer: noted, the weights still compared
        assertThat(diff.err()).isEqualTo("graft: warning: tokenizers not compared: " + baseBin.resolve("tokenizer.json")
                + ": model has no \"vocab\"\n");
        assertThat(diff.code()).isZero();
        assertThat(diff.out()).contains("\"compared\": 21,\n  \"identical\": 21,\n  \"relative_delta\": 0.0,");
        Path merged = dir.resolve("merged.safetensors");
        Cli.Result merge = graft("merge", "linear", baseBin.toString(), tunedBin.resolve("pytorch_model.bin").toString(),
                "--weight", "1,0", "-o", merged.toString(), "-q");
        assertThat(merge.err()).isEmpty();
        assertThat(merge.code()).isZero();
        SameTensors.assertSame(family.base(), merged);
    }

    /** The examples of {@code graft convert --help} run as written, on models laid out as they name them. */
    @Test
    void everyHelpExampleRuns() throws IOException {
        Files.copy(tunedBin.resolve("pytorch_model.bin"), dir.resolve("pytorch_model.bin"));
        try (ModelSource base = ModelSource.open(family.base())) {
            TorchSave.writeModel(base, dir.resolve("old-model"), 1);
            TorchSave.writeModel(base, dir.resolve("big-model"), 4);
        }
        String[] footer = Main.commandLine().getSubcommands().get("convert").getCommandSpec().usageMessage()
                .footer();
        List<String> examples = Arrays.stream(footer).filter(l -> l.startsWith("  graft convert ")).toList();
        assertThat(examples).hasSize(3);
        for (String example : examples) {
            List<String> args = new ArrayList<>(Arrays.asList(example.strip().substring("graft ".length()).split(" ")));
            for (int i = 1; i < args.size(); i++) {
                if (!args.get(i).startsWith("-") && !args.get(i - 1).equals("--shard-size")) {
                    args.set(i, dir.resolve(args.get(i)).normalize().toString());
                }
            }
            Cli.Result r = graft(args.toArray(String[]::new));
            assertThat(r.code()).as("%s%n%s", example, r.err()).isZero();
        }
        SameTensors.assertSame(family.base(), dir.resolve("new-model"));
        SameTensors.assertSame(family.fineTunes().getFirst(), dir.resolve("model.safetensors"));
        SameTensors.assertSame(family.base(), dir.resolve("resharded"));
    }
}
