package dev.graft.algorithms;

import dev.graft.algorithms.lora.CombinationMethod;
import dev.graft.algorithms.lora.Extraction;
import dev.graft.algorithms.lora.LoraApplication;
import dev.graft.algorithms.lora.LoraComposition;
import dev.graft.core.exec.MergeOptions;
import dev.graft.core.recipe.Recipe;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.UnsafeOutputException;
import dev.graft.formats.lora.AdapterMismatchException;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.peft.AdapterConfig;
import dev.graft.formats.peft.AdapterFormatException;
import dev.graft.formats.peft.LoraKeys;
import dev.graft.formats.peft.LoraModule;
import dev.graft.formats.peft.PeftAdapter;
import dev.graft.formats.peft.PeftAdapterWriter;
import dev.graft.formats.safetensors.TensorInfo;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyGpt2;
import dev.graft.testmodels.TinyLlama;
import dev.graft.testmodels.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code model+lora} inputs: a merge with {@code ft+adapter} is the merge of the model {@code graft lora apply}
 * writes from them, to the bit, in float32 and in bfloat16 alike (the adapted tensor is rounded once to the model's
 * dtype, as the applied checkpoint is), for LoRA with {@code modules_to_save}, GPT-2's {@code fan_in_fan_out} with
 * {@code lora_B} biases, and DoRA.
 */
class ModelPlusLoraTest {
    private static final Map<String, Object> TIES = Map.of("weight", 1.0, "density", 0.5);

    @TempDir
    Path dir;

    private FineTuneFamily.Folders family(TinyModel base, String name) {
        return FineTuneFamily.of(base).fineTunes(2).rank(2).noise(0.002).seed(5).writeTo(dir.resolve(name));
    }

    private static TinyModel llama(DType dtype) {
        return TinyLlama.builder().layers(2).hidden(32).intermediate(64).vocab(64).heads(2).dtype(dtype).seed(1).build();
    }

    /** An adapter of the second fine-tune's changes (LoRA modules and modules_to_save), to put on the first. */
    private Path adapter(FineTuneFamily.Folders f, String name) {
        return Extraction.of(f.base(), f.fineTunes().get(1)).rank(2).write(dir.resolve(name)).output();
    }

    private Path applied(Path model, Path adapter, String name) {
        return LoraApplication.to(model).adapter(adapter, 1.0).write(dir.resolve(name + ".safetensors")).output();
    }

    /** ties of {@code ft1+adapter} and {@code ft2}, against ties of the applied model and {@code ft2}. */
    private void assertTiesMatchesTheAppliedModel(FineTuneFamily.Folders f, Path adapter, String name)
            throws IOException {
        Path ft1 = f.fineTunes().get(0);
        Path ft2 = f.fineTunes().get(1);
        Path viaAdapter = Merge.ties().base(f.base()).add(ft1, adapter, TIES).add(ft2, TIES)
                .write(dir.resolve(name + "-adapter.safetensors")).output();
        Path viaApplied = Merge.ties().base(f.base()).add(applied(ft1, adapter, name + "-applied"), TIES).add(ft2, TIES)
                .write(dir.resolve(name + "-applied-merge.safetensors")).output();
        assertThat(Files.readAllBytes(viaAdapter)).isEqualTo(Files.readAllBytes(viaApplied));
        // and the adapter did something: the merge without it differs
        Path without = Merge.ties().base(f.base()).add(ft1, TIES).add(ft2, TIES)
                .write(dir.resolve(name + "-without.safetensors")).output();
        assertThat(Files.readAllBytes(viaAdapter)).isNotEqualTo(Files.readAllBytes(without));
    }

    @Test
    void aMergeWithModelPlusLoraIsTheMergeOfTheAppliedModelInFloat32() throws IOException {
        FineTuneFamily.Folders f = family(llama(DType.F32), "f32");
        assertTiesMatchesTheAppliedModel(f, adapter(f, "lora"), "f32");
    }

    @Test
    void andInBfloat16() throws IOException {
        FineTuneFamily.Folders f = family(llama(DType.BF16), "bf16");
        assertTiesMatchesTheAppliedModel(f, adapter(f, "lora"), "bf16");
    }

    @Test
    void aGpt2AdapterWithFanInFanOutAndBiases() throws IOException {
        FineTuneFamily.Folders f = family(TinyGpt2.builder().layers(2).embd(32).vocab(64).positions(16).heads(2)
                .dtype(DType.F32).seed(2).build(), "gpt2");
        Path lora = adapter(f, "lora");
        try (PeftAdapter a = PeftAdapter.open(lora)) {
            assertThat(a.config().fanInFanOut()).isTrue();
            assertThat(a.config().loraBias()).isTrue();
        }
        assertTiesMatchesTheAppliedModel(f, lora, "gpt2");
    }

    @Test
    void aBaseWithAnAdapter() throws IOException {
        FineTuneFamily.Folders f = family(llama(DType.BF16), "base");
        Path lora = adapter(f, "lora");
        Path ft1 = f.fineTunes().get(0);
        Path viaAdapter = Merge.taskArithmetic().base(f.base(), lora).add(ft1, 0.7)
                .write(dir.resolve("ta-adapter.safetensors")).output();
        Path viaApplied = Merge.taskArithmetic().base(applied(f.base(), lora, "base-applied")).add(ft1, 0.7)
                .write(dir.resolve("ta-applied.safetensors")).output();
        assertThat(Files.readAllBytes(viaAdapter)).isEqualTo(Files.readAllBytes(viaApplied));
    }

    /** The extracted adapter with DoRA magnitudes: 1 + k/8 for output k of every module. */
    private Path dora(Path lora, String name) {
        Path out = dir.resolve(name);
        try (PeftAdapter a = PeftAdapter.open(lora)) {
            List<Tensor> tensors = new ArrayList<>();
            for (TensorInfo t : a.weights().tensors()) {
                tensors.add(a.weights().view(t));
            }
            for (LoraModule m : a.modules()) {
                int rows = (int) m.b().shape().dim(0);
                float[] magnitude = new float[rows];
                for (int k = 0; k < rows; k++) {
                    magnitude[k] = 1 + k / 8f;
                }
                tensors.add(Tensor.fromFloats(LoraKeys.doraMagnitude(m.module()), DType.F32, Shape.of(rows), magnitude));
            }
            try (PeftAdapterWriter w = PeftAdapterWriter.create(out, a.config().withFlag("use_dora", true),
                    tensors.stream().map(Tensor::spec).toList(), false)) {
                tensors.forEach(w::write);
                w.commit();
            }
        }
        return out;
    }

    @Test
    void aDoraAdapterRescalesEachOutputRowToItsMagnitude() throws IOException {
        FineTuneFamily.Folders f = family(llama(DType.F32), "dora");
        Path dora = dora(adapter(f, "lora"), "dora-lora");
        assertTiesMatchesTheAppliedModel(f, dora, "dora");
        // DoRA's definition: every row of an adapted nn.Linear weight has the norm its magnitude gives
        String q = "model.layers.1.self_attn.q_proj.weight";
        try (ModelSource m = ModelSource.open(dir.resolve("dora-applied.safetensors"))) {
            float[] w = m.tensor(q).toFloatArray();
            int cols = (int) m.spec(q).orElseThrow().shape().dim(1);
            for (int row = 0; row < w.length / cols; row++) {
                double squares = 0;
                for (int c = 0; c < cols; c++) {
                    squares += (double) w[row * cols + c] * w[row * cols + c];
                }
                assertThat(Math.sqrt(squares)).as("row %d", row).isCloseTo(1 + row / 8.0,
                        org.assertj.core.data.Offset.offset(1e-5 * (1 + row / 8.0)));
            }
        }
    }

    @Test
    void doraAdaptersAreNotCombined() {
        FineTuneFamily.Folders f = family(llama(DType.F32), "dora-combine");
        Path dora = dora(adapter(f, "lora"), "dora-lora");
        AdapterFormatException e = catchThrowableOfType(AdapterFormatException.class, () ->
                LoraComposition.of(CombinationMethod.CAT).adapter(dora, 1).write(dir.resolve("combined")));
        assertThat(e).hasMessage(dora.resolve(AdapterConfig.FILE_NAME) + ": use_dora is true; Graft combines plain "
                + "LoRA adapters only (DoRA's magnitudes rescale each adapted weight, which does not combine "
                + "linearly); apply it with 'graft lora apply' or merge it as MODEL+ADAPTER");
        assertThat(dir.resolve("combined")).doesNotExist();
    }

    @Test
    void aRecipeModelPlusLoraResolvesBothPathsAgainstTheWorkingFolder() throws IOException {
        FineTuneFamily.Folders f = family(llama(DType.BF16), "recipe");
        Path lora = adapter(f, "recipe/lora");
        Path recipe = dir.resolve("r.yml");
        Files.writeString(recipe, """
                merge_method: ties
                base_model: ./base
                models:
                  - model: ./ft1+./lora
                    parameters: {weight: 1.0, density: 0.5}
                  - model: ./ft2
                    parameters: {weight: 1.0, density: 0.5}
                """.replace("./base", "./" + f.base().getFileName())
                .replace("./ft1", "./" + f.fineTunes().get(0).getFileName())
                .replace("./ft2", "./" + f.fineTunes().get(1).getFileName()));
        Path fromRecipe = dir.resolve("recipe.safetensors");
        Recipe.load(recipe).run(fromRecipe, MergeOptions.defaults(), dir.resolve("recipe"));
        Path fromBuilder = Merge.ties().base(f.base()).add(f.fineTunes().get(0), lora, TIES)
                .add(f.fineTunes().get(1), TIES).write(dir.resolve("builder.safetensors")).output();
        assertThat(Files.readAllBytes(fromRecipe)).isEqualTo(Files.readAllBytes(fromBuilder));
    }

    @Test
    void anOutputInsideTheAdapterFolderIsRefused() {
        FineTuneFamily.Folders f = family(llama(DType.F32), "claim");
        Path lora = adapter(f, "lora");
        Path target = lora.resolve("merged.safetensors");
        UnsafeOutputException e = catchThrowableOfType(UnsafeOutputException.class, () -> Merge.ties().base(f.base())
                .add(f.fineTunes().get(0), lora, TIES).add(f.fineTunes().get(1), TIES).write(target));
        assertThat(e).hasMessage(target + ": the output lies inside the input folder " + lora
                + "; write it outside the input");
        assertThat(target).doesNotExist();
    }

    @Test
    void anAdapterOfAnotherArchitectureIsRefusedBeforeAnyWork() {
        FineTuneFamily.Folders f = family(llama(DType.F32), "arch");
        FineTuneFamily.Folders gpt2 = family(TinyGpt2.builder().layers(1).embd(16).vocab(64).positions(16).heads(2)
                .dtype(DType.F32).seed(2).build(), "gpt2");
        Path lora = adapter(gpt2, "gpt2-lora");
        Path target = dir.resolve("never.safetensors");
        AdapterMismatchException e = catchThrowableOfType(AdapterMismatchException.class, () -> Merge.ties()
                .base(f.base()).add(f.fineTunes().get(0), lora, TIES).add(f.fineTunes().get(1), TIES).write(target));
        assertThat(e).hasMessage(lora.resolve(PeftAdapter.WEIGHTS_FILE) + ": module \"transformer.h.0.attn.c_attn\" "
                + "adapts tensor \"transformer.h.0.attn.c_attn.weight\", which the model " + f.fineTunes().get(0)
                + " does not have");
        assertThat(target).doesNotExist();
    }
}
