package dev.graft.cli;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.peft.AdapterConfig;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyLlama;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code graft extract} and {@code graft lora apply|combine|extract-from-merge} end to end. */
class LoraCommandsTest {
    @TempDir
    Path dir;

    private FineTuneFamily.Folders family;

    @BeforeEach
    void models() {
        family = FineTuneFamily.of(TinyLlama.builder().layers(1).hidden(32).intermediate(64).vocab(64).heads(2)
                .dtype(DType.F32).seed(1).build()).fineTunes(2).rank(2).noise(0.001).outliers(0).seed(3)
                .writeTo(dir.resolve("family"));
    }

    private String base() {
        return family.base().toString();
    }

    private String ft(int i) {
        return family.fineTunes().get(i).toString();
    }

    @Test
    void extractWritesAPeftAdapterAndSummarises() throws Exception {
        Path out = dir.resolve("lora");
        Cli.Result r = Cli.graft("extract", base(), ft(0), "--rank", "4", "-o", out.toString(), "--table");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Extracted 7 modules (rank 4) into " + out.toAbsolutePath() + " in ")
                .contains("Energy kept 0.9", "module by module in graft_extraction.json",
                        "; 5 tensors saved whole, 0 lora_B biases; 0 modules pruned\n",
                        "  module                           rank    energy  rel. error  ‖ΔW‖/‖W‖  svd\n",
                        "  model.layers.0.self_attn.q_proj     4  0.9");
        AdapterConfig c = AdapterConfig.read(out.resolve("adapter_config.json"));
        assertThat(c.r()).isEqualTo(4);
        assertThat(c.baseModel()).contains(base());

        Cli.Result again = Cli.graft("extract", base(), ft(0), "--rank", "4", "-o", out.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("graft: " + out + ": already exists; use --force to replace it\n");
        assertThat(Cli.graft("extract", base(), ft(0), "--energy", "0.5", "-o", out.toString(), "--force").code()).isZero();
        assertThat(AdapterConfig.read(out.resolve("adapter_config.json")).r()).isLessThan(4);
    }

    @Test
    void extractFromMergeIsTheSameExtraction() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertThat(Cli.graft("extract", base(), ft(1), "--rank", "3", "-o", a.toString()).code()).isZero();
        assertThat(Cli.graft("lora", "extract-from-merge", base(), ft(1), "--rank", "3", "-o", b.toString()).code()).isZero();
        for (String f : new String[] {"adapter_config.json", "adapter_model.safetensors", "graft_extraction.json"}) {
            assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(Files.readAllBytes(a.resolve(f)));
        }
    }

    @Test
    void applyAndCombine() {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Cli.Result ea = Cli.graft("extract", base(), ft(0), "--rank", "2", "-o", a.toString(), "--skip-undecomposable",
                "--skip-embeddings", "--target-modules", "q_proj,v_proj");
        assertThat(ea.err()).isEqualTo("""
                graft: warning: 5 changed matrices are not LoRA targets and were dropped (first: model.layers.0.mlp.down_proj.weight); add them with --target-modules
                graft: warning: 2 changed embedding and head matrices dropped (lm_head.weight, model.embed_tokens.weight; --skip-embeddings)
                graft: warning: 3 changed norm and bias tensors dropped (--skip-undecomposable)
                """);
        Cli.graft("extract", base(), ft(1), "--rank", "2", "-o", b.toString(), "--skip-undecomposable",
                "--skip-embeddings", "--target-modules", "q_proj,v_proj");

        Path both = dir.resolve("both");
        Cli.Result c = Cli.graft("lora", "combine", a.toString(), b.toString(), "--method", "cat", "--weight", "1,-1",
                "-o", both.toString());
        assertThat(c.err()).isEmpty();
        assertThat(c.out()).startsWith("Combined 2 adapters with cat: 2 modules (rank 4) into " + both.toAbsolutePath());

        Path merged = dir.resolve("merged.safetensors");
        Cli.Result r = Cli.graft("lora", "apply", base(), both.toString(), "-o", merged.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("Applied 1 adapter to " + base() + ": 2 of 12 tensors changed; ");
        try (ModelSource m = ModelSource.open(merged); ModelSource bm = ModelSource.open(family.base())) {
            assertThat(m.tensor("model.layers.0.mlp.up_proj.weight").toFloatArray())
                    .isEqualTo(bm.tensor("model.layers.0.mlp.up_proj.weight").toFloatArray());
        }

        Cli.Result bad = Cli.graft("lora", "combine", a.toString(), "--method", "ties_svd", "-o", dir.resolve("x").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("graft: ties_svd needs --density\n");
        Cli.Result unknown = Cli.graft("lora", "combine", a.toString(), "--method", "mean", "-o", dir.resolve("x").toString());
        assertThat(unknown.err()).startsWith("graft: unknown --method \"mean\" (use cat, linear, svd, ties_svd, "
                + "dare_linear_svd, dare_ties_svd, magnitude_prune_svd)\n");
        Cli.Result weights = Cli.graft("lora", "apply", base(), a.toString(), b.toString(), "--weight", "1,2,3", "-o", "x");
        assertThat(weights.err()).startsWith("graft: --weight takes 1 value or one per ADAPTER (2), got 3\n");
    }

    @Test
    void combineTakesWhatExtractWritesByDefault() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertThat(Cli.graft("extract", base(), ft(0), "--rank", "2", "-o", a.toString(), "-q").code()).isZero();
        assertThat(Cli.graft("extract", base(), ft(1), "--rank", "2", "-o", b.toString(), "-q").code()).isZero();
        AdapterConfig ca = AdapterConfig.read(a.resolve("adapter_config.json"));
        assertThat(ca.taskType()).contains("CAUSAL_LM");
        assertThat(ca.baseModel()).contains(base());
        assertThat(ca.modulesToSave()).hasSize(5);

        Path ab = dir.resolve("ab");
        Cli.Result c = Cli.graft("lora", "combine", a.toString(), b.toString(), "--method", "cat", "--weight", "1,-1",
                "-o", ab.toString(), "-q");
        assertThat(c.err()).isEmpty();
        assertThat(c.code()).isZero();
        assertThat(c.out()).startsWith("Combined 2 adapters with cat: 7 modules (rank 4) into " + ab.toAbsolutePath())
                .endsWith(" s\n5 modules_to_save tensors combined against the base model " + base()
                        + " (recorded by the adapters; --base to give another)\n");
        AdapterConfig cab = AdapterConfig.read(ab.resolve("adapter_config.json"));
        assertThat(cab.taskType()).contains("CAUSAL_LM");
        assertThat(cab.modulesToSave()).isEqualTo(ca.modulesToSave());

        // an adapter naming its base by Hub id only (a PEFT-trained one, say) needs --base
        Path hub = dir.resolve("hub");
        Cli.graft("extract", base(), ft(1), "--rank", "2", "-o", hub.toString(), "-q", "--base-model-name", "org/model");
        Files.delete(hub.resolve("graft_extraction.json"));
        Cli.Result refused = Cli.graft("lora", "combine", a.toString(), hub.toString(), "--method", "cat",
                "-o", dir.resolve("x").toString(), "-q");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("graft: " + hub.resolve("adapter_model.safetensors") + ": saves module "
                + "\"lm_head\" (and 4 more) whole (modules_to_save), which combines only against the base model, and "
                + "it names no base model on this machine (base_model_name_or_path \"org/model\"); give the base with "
                + "--base MODEL, leave the modules out with --drop-modules-to-save, or merge the adapters into the "
                + "base with 'graft lora apply'\n");
        Cli.Result given = Cli.graft("lora", "combine", a.toString(), hub.toString(), "--method", "cat", "--base", base(),
                "-o", dir.resolve("x").toString(), "-q");
        assertThat(given.out()).endsWith(" s\n5 modules_to_save tensors combined against the base model " + base() + "\n");
    }

    @Test
    void mismatchedAdapterAndBaseNameTheFileAndTensor() {
        Path a = dir.resolve("a");
        Cli.graft("extract", base(), ft(0), "--rank", "2", "-o", a.toString());
        Path other = TinyLlama.builder().layers(1).hidden(16).intermediate(32).vocab(64).heads(2).dtype(DType.F32)
                .writeTo(dir.resolve("other"));
        Cli.Result r = Cli.graft("lora", "apply", other.toString(), a.toString(), "-o", dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("graft: " + a.resolve("adapter_model.safetensors") + ": LoRA factors of \"model.layers.0.")
                .contains("] delta, but tensor \"model.layers.0.");
        Cli.Result shapes = Cli.graft("extract", other.toString(), ft(0), "-o", dir.resolve("x").toString());
        assertThat(shapes.err()).isEqualTo("graft: " + ft(0) + ": tensor \"lm_head.weight\" is [64, 32] here but [64, 16] "
                + "in the base model " + other + "\n");
        Cli.Result same = Cli.graft("extract", base(), base(), "-o", dir.resolve("x").toString());
        assertThat(same.err()).isEqualTo("graft: " + base() + ": no tensor differs from the base model " + base()
                + ": there is nothing to extract\n");
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(dir.resolve("o")).doesNotExist();
    }
}
