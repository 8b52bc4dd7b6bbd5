package dev.graft.algorithms.lora;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.peft.AdapterConfig;
import dev.graft.formats.peft.LoraModule;
import dev.graft.formats.peft.PeftAdapter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyGpt2;
import dev.graft.testmodels.TinyLlama;
import dev.graft.testmodels.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Extract, then apply: the tuned model comes back within the error the extraction reported, module by module. */
class RoundTripTest {
    @TempDir
    Path dir;

    private FineTuneFamily.Folders family(TinyModel model) {
        return FineTuneFamily.of(model).fineTunes(1).rank(3).noise(0.002).outliers(0).seed(5).writeTo(dir.resolve("family"));
    }

    @Test
    void llamaExtractThenApplyGivesTheTunedModelWithinTheReportedError() throws Exception {
        FineTuneFamily.Folders f = family(TinyLlama.builder().layers(2).hidden(32).intermediate(64).vocab(64).heads(2)
                .dtype(DType.F32).seed(1).build());
        Path ft = f.fineTunes().getFirst();
        ExtractionReport report = Extraction.of(f.base(), ft).rank(4).write(dir.resolve("adapter"));

        assertThat(report.modules()).hasSize(14);
        assertThat(report.savedTensors()).contains("model.embed_tokens.weight", "lm_head.weight", "model.norm.weight",
                "model.layers.0.input_layernorm.weight");
        AdapterConfig config = AdapterConfig.read(dir.resolve("adapter/adapter_config.json"));
        assertThat(config.targetModules()).containsExactly("down_proj", "gate_proj", "k_proj", "o_proj", "q_proj",
                "up_proj", "v_proj");
        assertThat(config.modulesToSave()).contains("lm_head", "model.embed_tokens", "model.norm",
                "model.layers.1.post_attention_layernorm");
        assertThat(config.r()).isEqualTo(4);
        assertThat(config.loraAlpha()).isEqualTo(4.0);
        assertThat(config.fanInFanOut()).isFalse();
        assertThat(config.loraBias()).isFalse();
        assertThat(Files.exists(dir.resolve("adapter").resolve(ExtractionReport.FILE_NAME))).isTrue();
        assertThat(Files.list(dir.resolve("adapter")).map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly(".graft-manifest.json", "adapter_config.json", "adapter_model.safetensors",
                        "graft_extraction.json");

        Path applied = dir.resolve("applied");
        LoraApplication.ApplyReport ar = LoraApplication.to(f.base()).adapter(dir.resolve("adapter"), 1.0).write(applied);
        assertThat(ar.changed()).isEqualTo(14 + report.savedTensors().size());
        assertThat(Files.exists(applied.resolve("config.json"))).isTrue();
        assertWithinReportedError(f.base(), ft, applied, report);
    }

    @Test
    void gpt2Conv1dWeightsAreFactoredTransposedWithFanInFanOutAndTheirBiasesInLoraB() {
        FineTuneFamily.Folders f = family(TinyGpt2.builder().layers(2).embd(32).vocab(64).positions(16).heads(2)
                .dtype(DType.F32).seed(2).build());
        Path ft = f.fineTunes().getFirst();
        // three modules at once: the backend's SVDs and GEMMs run concurrently
        ExtractionReport report = Extraction.of(f.base(), ft).rank(4).threads(3).write(dir.resolve("adapter"));

        AdapterConfig config = AdapterConfig.read(dir.resolve("adapter/adapter_config.json"));
        assertThat(config.fanInFanOut()).isTrue();
        assertThat(config.loraBias()).isTrue();
        assertThat(config.targetModules()).containsExactly("c_attn", "c_fc", "c_proj");
        assertThat(report.biases()).hasSize(8);
        try (PeftAdapter adapter = PeftAdapter.open(dir.resolve("adapter"))) {
            LoraModule cAttn = adapter.modules().stream()
                    .filter(m -> m.module().equals("transformer.h.0.attn.c_attn")).findFirst().orElseThrow();
            // Conv1D weight [in=32, out=96]: lora_A [r, in], lora_B [out, r] as for nn.Linear
            assertThat(cAttn.a().shape()).isEqualTo(Shape.of(4, 32));
            assertThat(cAttn.b().shape()).isEqualTo(Shape.of(96, 4));
            assertThat(adapter.otherTensors()).contains("base_model.model.transformer.h.0.attn.c_attn.lora_B.bias",
                    "base_model.model.transformer.wte.weight", "base_model.model.transformer.h.1.ln_2.bias");
        }
        Path applied = dir.resolve("applied.safetensors");
        LoraApplication.to(f.base()).adapter(dir.resolve("adapter"), 1.0).write(applied);
        assertWithinReportedError(f.base(), ft, applied, report);
    }

    @Test
    void embedLoraFactorsEmbeddingsAndTheHeadAndSkipUndecomposableDropsNorms() {
        FineTuneFamily.Folders f = family(TinyLlama.builder().layers(1).hidden(32).intermediate(64).vocab(64).heads(2)
                .dtype(DType.F32).seed(1).build());
        Path ft = f.fineTunes().getFirst();
        ExtractionReport report = Extraction.of(f.base(), ft).rank(4)
                .selection(ModuleSelection.defaults().embedLora(true).skipUndecomposable(true)
                        .targetModules(java.util.List.of("q_proj", "embed_tokens", "lm_head")))
                .write(dir.resolve("adapter"));

        assertThat(report.modules()).extracting(ModuleReport::module)
                .containsExactly("lm_head", "model.embed_tokens", "model.layers.0.self_attn.q_proj");
        assertThat(report.savedTensors()).isEmpty();
        assertThat(report.warnings()).containsExactly(
                "6 changed matrices are not LoRA targets and were dropped (first: model.layers.0.mlp.down_proj.weight); "
                        + "add them with --target-modules",
                "3 changed norm and bias tensors dropped (--skip-undecomposable)");
        try (PeftAdapter adapter = PeftAdapter.open(dir.resolve("adapter"))) {
            LoraModule emb = adapter.modules().stream().filter(LoraModule::embedding).findFirst().orElseThrow();
            assertThat(emb.module()).isEqualTo("model.embed_tokens");
            // nn.Embedding [vocab 64, hidden 32]: lora_embedding_A [r, vocab], lora_embedding_B [hidden, r]
            assertThat(emb.a().name()).isEqualTo("base_model.model.model.embed_tokens.lora_embedding_A");
            assertThat(emb.a().shape()).isEqualTo(Shape.of(4, 64));
            assertThat(emb.b().shape()).isEqualTo(Shape.of(32, 4));
            assertThat(adapter.config().modulesToSave()).isEmpty();
            assertThat(adapter.config().targetModules()).containsExactly("embed_tokens", "lm_head", "q_proj");
        }
        Path applied = dir.resolve("applied.safetensors");
        LoraApplication.to(f.base()).adapter(dir.resolve("adapter"), 1.0).write(applied);
        try (ModelSource b = ModelSource.open(f.base()); ModelSource t = ModelSource.open(ft);
             ModelSource a = ModelSource.open(applied)) {
            for (ModuleReport m : report.modules()) {
                String name = m.module() + ".weight";
                double[] tv = Matrices.toDouble(t.tensor(name).toFloatArray());
                double[] bv = Matrices.toDouble(b.tensor(name).toFloatArray());
                double[] av = Matrices.toDouble(a.tensor(name).toFloatArray());
                assertThat(Matrices.distance(av, tv) / Matrices.distance(bv, tv)).as(name)
                        .isLessThanOrEqualTo(m.relativeError() + 1e-4);
            }
            // dropped: the base's values stay
            assertThat(a.tensor("model.norm.weight").toFloatArray()).isEqualTo(b.tensor("model.norm.weight").toFloatArray());
        }
    }

    @Test
    void pruneEnergyLeavesOutModulesWithNegligibleDeltas() {
        FineTuneFamily.Folders f = family(TinyLlama.builder().layers(1).hidden(32).intermediate(64).vocab(64).heads(2)
                .dtype(DType.F32).seed(1).build());
        ExtractionReport all = Extraction.of(f.base(), f.fineTunes().getFirst()).rank(2).write(dir.resolve("all"));
        double smallest = all.modules().stream().mapToDouble(ModuleReport::relativeDelta).min().orElseThrow();
        double largest = all.modules().stream().mapToDouble(ModuleReport::relativeDelta).max().orElseThrow();
        double threshold = Math.pow((smallest + largest) / 2, 2);
        ExtractionReport pruned = Extraction.of(f.base(), f.fineTunes().getFirst()).rank(2).pruneEnergy(threshold)
                .write(dir.resolve("pruned"));
        assertThat(pruned.modules()).allSatisfy(m -> assertThat(m.pruned())
                .isEqualTo(m.relativeDelta() * m.relativeDelta() <= threshold));
        assertThat(pruned.kept()).isNotEmpty().hasSizeLessThan(pruned.modules().size());
        try (PeftAdapter adapter = PeftAdapter.open(dir.resolve("pruned"))) {
            assertThat(adapter.modules()).extracting(LoraModule::module)
                    .containsExactlyElementsOf(pruned.kept().stream().map(ModuleReport::module).toList());
        }
    }

    @Test
    void combiningWithTheBaseCarriesModulesToSaveSoApplyingTheResultEqualsApplyingTheInputs() {
        FineTuneFamily.Folders f = FineTuneFamily.of(TinyLlama.builder().layers(1).hidden(32).intermediate(64).vocab(64)
                .heads(2).dtype(DType.F32).seed(1).build()).fineTunes(2).rank(3).noise(0.002).outliers(0).seed(5)
                .writeTo(dir.resolve("family"));
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Extraction.of(f.base(), f.fineTunes().get(0)).rank(4).write(a);
        Extraction.of(f.base(), f.fineTunes().get(1)).rank(4).write(b);
        LoraComposition.of(CombinationMethod.CAT).adapter(a, 0.7).adapter(b, -0.2).base(f.base()).write(dir.resolve("ab"));
        assertThat(AdapterConfig.read(dir.resolve("ab/adapter_config.json")).modulesToSave())
                .contains("lm_head", "model.norm");

        Path once = dir.resolve("once.safetensors");
        Path separately = dir.resolve("separately.safetensors");
        LoraApplication.to(f.base()).adapter(dir.resolve("ab"), 1).write(once);
        LoraApplication.to(f.base()).adapter(a, 0.7).adapter(b, -0.2).write(separately);
        try (ModelSource x = ModelSource.open(once); ModelSource y = ModelSource.open(separately)) {
            for (TensorSpec s : x.tensors()) {
                double[] xv = Matrices.toDouble(x.tensor(s.name()).toFloatArray());
                double[] yv = Matrices.toDouble(y.tensor(s.name()).toFloatArray());
                assertThat(Matrices.distance(xv, yv)).as(s.name()).isLessThan(1e-5 * Math.max(1, Matrices.norm(yv)));
            }
        }
    }

    /** LoRA targets within the reported error (plus float32 rounding); every other tensor equal to the tuned one. */
    private static void assertWithinReportedError(Path base, Path tuned, Path applied, ExtractionReport report) {
        Map<String, ModuleReport> byTensor = report.modules().stream()
                .collect(Collectors.toMap(m -> m.module() + ".weight", Function.identity()));
        try (ModelSource b = ModelSource.open(base); ModelSource t = ModelSource.open(tuned);
             ModelSource a = ModelSource.open(applied)) {
            assertThat(a.tensors()).extracting(TensorSpec::name)
                    .containsExactlyElementsOf(t.tensors().stream().map(TensorSpec::name).toList());
            for (TensorSpec s : t.tensors()) {
                double[] tv = Matrices.toDouble(t.tensor(s.name()).toFloatArray());
                double[] av = Matrices.toDouble(a.tensor(s.name()).toFloatArray());
                double[] bv = Matrices.toDouble(b.tensor(s.name()).toFloatArray());
                double[] delta = new double[tv.length];
                for (int i = 0; i < delta.length; i++) {
                    delta[i] = tv[i] - bv[i];
                }
                ModuleReport m = byTensor.get(s.name());
                double error = Matrices.distance(av, tv);
                if (m != null) {
                    assertThat(error / Matrices.norm(delta)).as(s.name())
                            .isLessThanOrEqualTo(m.relativeError() + 1e-4);
                    assertThat(m.relativeError()).as(s.name()).isGreaterThan(0);
                } else {
                    // saved whole, or a bias added back: float32 rounding of base + (tuned − base) at most
                    assertThat(error).as(s.name()).isLessThanOrEqualTo(1e-6 * Math.max(1, Matrices.norm(tv)));
                }
            }
        }
    }
}
