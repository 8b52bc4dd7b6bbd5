package dev.graft.core.convert;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.OutputExistsException;
import dev.graft.formats.io.UnsafeOutputException;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.pytorch.TorchSave;
import dev.graft.formats.tensor.TensorSpec;
import dev.graft.formats.testing.SameTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PyTorch checkpoints rewritten as safetensors: the same tensors to the bit, laid out as merges lay out theirs. */
class ConversionTest {
    private static final List<DType> DTYPES = List.of(DType.F32, DType.BF16, DType.F16, DType.F64, DType.I64,
            DType.I32, DType.I16, DType.I8, DType.U8, DType.BOOL);

    @TempDir
    Path dir;

    /** A transformers-style folder: pytorch_model.bin with a tensor of every dtype, config and tokenizer files. */
    private Path torchModel() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        TorchSave save = new TorchSave().transformersStyle().folder("pytorch_model");
        Random random = new Random(5);
        for (int i = 0; i < DTYPES.size(); i++) {
            DType d = DTYPES.get(i);
            byte[] data = new byte[(64 + i) * 4 * d.byteSize()];
            random.nextBytes(data);
            if (d == DType.BOOL) {
                for (int k = 0; k < data.length; k++) {
                    data[k] &= 1;
                }
            }
            save.storage(Integer.toString(i), d, data).tensor("layers." + i + ".w", Integer.toString(i), 0, 64 + i, 4);
        }
        save.write(model.resolve("pytorch_model.bin"));
        Files.writeString(model.resolve("config.json"), "{\"torch_dtype\": \"float32\", \"architectures\": "
                + "[\"LlamaForCausalLM\"]}");
        Files.writeString(model.resolve("tokenizer.json"), "{\"version\": \"1.0\"}");
        Files.writeString(model.resolve("notes.txt"), "not copied");
        return model;
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFolderBecomesAShardedSafetensorsFolderBitForBit() throws IOException {
        Path model = torchModel();
        Path out = dir.resolve("out");
        List<String> seen = new CopyOnWriteArrayList<>();
        Conversion.Report r;
        try (ModelSource m = ModelSource.open(model)) {
            r = Conversion.of(m).maxShardBytes(4000).threads(3).progress(s -> seen.add(s.name())).write(out);
        }
        assertThat(r.output()).isEqualTo(out);
        assertThat(r.tensors()).isEqualTo(10);
        assertThat(r.bytes()).isEqualTo(8_920);
        assertThat(seen).hasSize(10).doesNotHaveDuplicates();
        assertThat(names(out)).containsExactly(".graft-manifest.json", "config.json", "model-00001-of-00004.safetensors",
                "model-00002-of-00004.safetensors", "model-00003-of-00004.safetensors",
                "model-00004-of-00004.safetensors", "model.safetensors.index.json",
                "tokenizer.json");
        assertThat(Files.readString(out.resolve("tokenizer.json"))).isEqualTo("{\"version\": \"1.0\"}");
        assertThat(Files.readString(out.resolve("config.json"))).isEqualTo("{\n  \"architectures\": [\n"
                + "    \"LlamaForCausalLM\"\n  ],\n  \"torch_dtype\": \"float32\"\n}\n");
        SameTensors.assertSame(model, out);
    }

    @Test
    void aShardedCheckpointBecomesOneFile() throws IOException {
        Path model = Files.createDirectories(dir.resolve("sharded"));
        new TorchSave().storage("0", DType.BF16, new byte[] {1, 2, 3, 4}).tensor("b.weight", "0", 0, 2)
                .write(model.resolve("pytorch_model-00001-of-00002.bin"));
        new TorchSave().storage("0", DType.F32, new byte[] {5, 6, 7, 8, 9, 10, 11, 12}).tensor("a.weight", "0", 1, 1)
                .write(model.resolve("pytorch_model-00002-of-00002.bin"));
        Files.writeString(model.resolve("pytorch_model.bin.index.json"), "{\"weight_map\": {"
                + "\"b.weight\": \"pytorch_model-00001-of-00002.bin\", \"a.weight\": \"pytorch_model-00002-of-00002.bin\"}}");
        Path out = dir.resolve("one.safetensors");
        try (ModelSource m = ModelSource.open(model.resolve("pytorch_model.bin.index.json"))) {
            Conversion c = Conversion.of(m);
            assertThat(c.tensors()).extracting(TensorSpec::name).containsExactly("a.weight", "b.weight");
            c.write(out);
        }
        try (ModelSource m = ModelSource.open(out)) {
            assertThat(m.tensor("a.weight").data().toArray(ValueLayout.JAVA_BYTE)).containsExactly(9, 10, 11, 12);
            assertThat(m.tensor("b.weight").data().toArray(ValueLayout.JAVA_BYTE)).containsExactly(1, 2, 3, 4);
            assertThat(m.metadata()).containsEntry("format", "pt");
        }
        SameTensors.assertSame(model, out);
    }

    @Test
    void theOutputIsClaimedAsMergeOutputsAre() throws IOException {
        Path model = torchModel();
        Path out = dir.resolve("x.safetensors");
        try (ModelSource m = ModelSource.open(model)) {
            Conversion.of(m).write(out);
            assertThatThrownBy(() -> Conversion.of(m).write(out)).isInstanceOf(OutputExistsException.class)
                    .hasMessage(out + ": already exists; refusing to replace it");
            Conversion.of(m).overwrite(true).write(out);
            assertThatThrownBy(() -> Conversion.of(m).overwrite(true).write(model.resolve("inside")))
                    .isInstanceOf(UnsafeOutputException.class);
            assertThatThrownBy(() -> Conversion.of(m).overwrite(true).write(model.resolve("pytorch_model.bin")
                    .resolveSibling("pytorch_model.safetensors"))).isInstanceOf(UnsafeOutputException.class);
        }
        SameTensors.assertSame(model, out);
        List<String> left = new ArrayList<>(names(dir));
        assertThat(left).containsExactly("model", "x.safetensors");
    }
}
