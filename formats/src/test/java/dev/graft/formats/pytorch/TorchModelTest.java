package dev.graft.formats.pytorch;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.OpenInputs;
import dev.graft.formats.model.ModelFormatException;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PyTorch checkpoints opened as models: single files, Hugging Face folders and sharded sets. */
class TorchModelTest {
    private static final String CONFIG = "{\"architectures\": [\"LlamaForCausalLM\"], \"torch_dtype\": \"float32\"}";

    @TempDir
    Path dir;

    @Test
    void aFolderWithPytorchModelBinIsAModel() throws IOException {
        Path model = Files.createDirectories(dir.resolve("m"));
        Files.writeString(model.resolve("config.json"), CONFIG);
        new TorchSave().transformersStyle().folder("pytorch_model").storage("0", DType.F32, TorchSave.f32(1, 2, 3, 4))
                .tensor("lm_head.weight", "0", 0, 2, 2).tensor("model.norm.weight", "0", 2, 2)
                .write(model.resolve("pytorch_model.bin"));
        try (ModelSource m = ModelSource.open(model)) {
            assertThat(m.tensors()).extracting(TensorSpec::name).containsExactly("lm_head.weight", "model.norm.weight");
            assertThat(m.files()).containsExactly(model.resolve("pytorch_model.bin"));
            assertThat(m.config().orElseThrow().architectures()).containsExactly("LlamaForCausalLM");
            assertThat(m.tensor("model.norm.weight").toFloatArray()).containsExactly(3, 4);
            try (Arena arena = Arena.ofConfined()) {
                assertThat(m.tensor("lm_head.weight", arena).toFloatArray()).containsExactly(1, 2, 3, 4);
            }
            assertThat(m.metadata()).isEmpty();
            assertThat(OpenInputs.snapshot()).contains(model.toRealPath(), model.resolve("pytorch_model.bin").toRealPath());
        }
        assertThat(OpenInputs.snapshot()).doesNotContain(model.toRealPath());
    }

    /** transformers' sharded form: {@code pytorch_model-0000k-of-0000n.bin} and {@code pytorch_model.bin.index.json}. */
    @Test
    void aShardedCheckpointOpensFromItsFolderOrItsIndex() throws IOException {
        Path model = Files.createDirectories(dir.resolve("sharded"));
        new TorchSave().folder("pytorch_model-00001-of-00002").storage("0", DType.BF16, new byte[] {0, 0x3F, 0, 0x40})
                .tensor("a", "0", 0, 2).write(model.resolve("pytorch_model-00001-of-00002.bin"));
        new TorchSave().folder("pytorch_model-00002-of-00002").storage("0", DType.F32, TorchSave.f32(5, 6, 7))
                .tensor("b", "0", 0, 3).tensor("c", "0", 2, 1).write(model.resolve("pytorch_model-00002-of-00002.bin"));
        Files.writeString(model.resolve("pytorch_model.bin.index.json"), """
                {"metadata": {"total_size": 20}, "weight_map": {"a": "pytorch_model-00001-of-00002.bin",
                 "b": "pytorch_model-00002-of-00002.bin", "c": "pytorch_model-00002-of-00002.bin"}}""");
        for (Path p : List.of(model, model.resolve("pytorch_model.bin.index.json"))) {
            try (ModelSource m = ModelSource.open(p)) {
                assertThat(m.tensors()).containsExactly(new TensorSpec("a", DType.BF16, Shape.of(2)),
                        new TensorSpec("b", DType.F32, Shape.of(3)), new TensorSpec("c", DType.F32, Shape.of(1)));
                assertThat(m.files()).hasSize(2);
                assertThat(m.tensor("a").toFloatArray()).containsExactly(0.5f, 2f);
                assertThat(m.tensor("c").toFloatArray()).containsExactly(7f);
            }
        }
    }

    @Test
    void aWeightMapNamingATensorItsShardLacksIsRefused() throws IOException {
        Path model = Files.createDirectories(dir.resolve("bad"));
        new TorchSave().storage("0", DType.F32, TorchSave.f32(1)).tensor("a", "0", 0, 1).write(model.resolve("s1.bin"));
        Files.writeString(model.resolve("pytorch_model.bin.index.json"), "{\"weight_map\": {\"zz\": \"s1.bin\"}}");
        assertThatThrownBy(() -> ModelSource.open(model)).isInstanceOf(ModelFormatException.class)
                .hasMessage(model.resolve("pytorch_model.bin.index.json") + ": weight_map puts tensor \"zz\" in s1.bin, "
                        + "which does not contain it");
        assertThat(OpenInputs.snapshot()).doesNotContain(model.resolve("s1.bin").toRealPath());
    }

    @Test
    void aPtFileOpensAsAModelAndItsRefusalsComeThrough() throws IOException {
        Path pt = new TorchSave().storage("0", DType.I64, new byte[8]).tensor("step", "0", 0)
                .write(dir.resolve("ckpt.pt"));
        try (ModelSource m = ModelSource.open(pt)) {
            assertThat(m.tensors()).containsExactly(new TensorSpec("step", DType.I64, Shape.of()));
        }
        Path hostile = dir.resolve("hostile.pth");
        new TorchSave().zip(new Pickler().proto().rawGlobal("os", "system").str("true").op(0x85).reduce().stop()
                .toByteArray()).write(hostile);
        assertThatThrownBy(() -> ModelSource.open(hostile)).isInstanceOf(PytorchFormatException.class)
                .hasMessageStartingWith(hostile + ": refused pickle global os.system in archive/data.pkl");
    }

    /** Where a folder has both, safetensors is read, as transformers reads it. */
    @Test
    void safetensorsWinsOverPytorchModelBin() throws IOException {
        Path model = Files.createDirectories(dir.resolve("both"));
        new TorchSave().storage("0", DType.F32, TorchSave.f32(1)).tensor("from_bin", "0", 0, 1)
                .write(model.resolve("pytorch_model.bin"));
        try (SafetensorsWriter w = SafetensorsWriter.create(model.resolve("model.safetensors"),
                List.of(new TensorSpec("from_safetensors", DType.F32, Shape.of(1))), SafetensorsWriter.PT_METADATA,
                false)) {
            w.writeFloats("from_safetensors", new float[] {2});
            w.commit();
        }
        try (ModelSource m = ModelSource.open(model)) {
            assertThat(m.tensors()).extracting(TensorSpec::name).containsExactly("from_safetensors");
        }
    }
}
