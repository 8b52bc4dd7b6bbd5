package dev.graft.formats.shard;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelFormatException;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.safetensors.SafetensorsException;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardedModelTest {
    @TempDir
    Path dir;

    private static List<TensorSpec> specs() {
        List<TensorSpec> s = new ArrayList<>();
        s.add(new TensorSpec("embed", DType.F32, Shape.of(10))); // 40 bytes
        s.add(new TensorSpec("layers.0.w", DType.F32, Shape.of(5))); // 20
        s.add(new TensorSpec("layers.1.w", DType.F32, Shape.of(5))); // 20
        s.add(new TensorSpec("huge", DType.F32, Shape.of(30))); // 120, over the limit: alone
        s.add(new TensorSpec("head", DType.BF16, Shape.of(4))); // 8
        return s;
    }

    private Path writeSharded(long limit) {
        Path out = dir.resolve("m");
        try (ShardedWriter w = ShardedWriter.create(out, specs(), limit, false)) {
            for (TensorSpec s : specs()) {
                float[] v = new float[(int) s.elementCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = s.name().length() + i;
                }
                w.writeFloats(s.name(), v);
            }
            w.commit();
        }
        return out;
    }

    @Test
    void plansShardsAsTheHubDoes() {
        List<List<TensorSpec>> plan = ShardedWriter.planShards(specs(), 64);
        assertThat(plan).extracting(l -> l.stream().map(TensorSpec::name).toList()).containsExactly(
                List.of("embed", "layers.0.w"), List.of("huge"), List.of("layers.1.w", "head"));
    }

    @Test
    void writesShardsAndAnIndexThatReadBack() throws IOException {
        Path out = writeSharded(64);
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                    "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                    "model-00003-of-00003.safetensors", "model.safetensors.index.json");
        }
        assertThat(Files.readString(out.resolve(ShardIndex.FILE_NAME))).isEqualTo("""
                {
                  "metadata": {
                    "total_size": 208
                  },
                  "weight_map": {
                    "embed": "model-00001-of-00003.safetensors",
                    "head": "model-00003-of-00003.safetensors",
                    "huge": "model-00002-of-00003.safetensors",
                    "layers.0.w": "model-00001-of-00003.safetensors",
                    "layers.1.w": "model-00003-of-00003.safetensors"
                  }
                }
                """);
        try (ModelSource m = ModelSource.open(out)) {
            assertThat(m.tensors()).extracting(TensorSpec::name)
                    .containsExactly("embed", "head", "huge", "layers.0.w", "layers.1.w");
            assertThat(m.files()).hasSize(3);
            assertThat(m.tensor("layers.1.w").toFloatArray()).containsExactly(10, 11, 12, 13, 14);
            assertThat(m.tensor("head").dtype()).isEqualTo(DType.BF16);
            assertThat(m.dataBytes()).isEqualTo(208);
            assertThat(m.metadata()).containsEntry("format", "pt");
        }
        // the index file itself opens too
        try (ModelSource m = ModelSource.open(out.resolve(ShardIndex.FILE_NAME))) {
            assertThat(m.tensors()).hasSize(5);
        }
    }

    @Test
    void oneShardIsAPlainModelFile() throws IOException {
        Path out = writeSharded(ShardedWriter.DEFAULT_MAX_SHARD_BYTES);
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("model.safetensors");
        }
        try (ModelSource m = ModelSource.open(out)) {
            assertThat(m.tensor("embed").toFloatArray()[9]).isEqualTo(14f);
        }
    }

    @Test
    void toleratesUnknownKeysInTheIndex() throws IOException {
        Path out = writeSharded(64);
        Path idx = out.resolve(ShardIndex.FILE_NAME);
        Files.writeString(idx, Files.readString(idx).replace("\"metadata\": {",
                "\"extra\": [1, 2], \"metadata\": {\"format\": \"pt\", "));
        try (ModelSource m = ModelSource.open(out)) {
            assertThat(m.tensors()).hasSize(5);
        }
    }

    @Test
    void rejectsAShardPathOutsideTheFolder() throws IOException {
        Path out = writeSharded(64);
        Path idx = out.resolve(ShardIndex.FILE_NAME);
        for (String evil : List.of("../model-00001-of-00003.safetensors", "/etc/passwd", "a/../../x.safetensors")) {
            Files.writeString(idx, "{\"weight_map\": {\"embed\": \"" + evil + "\"}}");
            assertThatThrownBy(() -> ModelSource.open(out)).isInstanceOf(ModelFormatException.class)
                    .hasMessage(idx + ": weight_map entry for \"embed\" points outside the model folder: \"" + evil + "\"");
        }
    }

    @Test
    void rejectsATensorMissingFromItsShard() throws IOException {
        Path out = writeSharded(64);
        Path idx = out.resolve(ShardIndex.FILE_NAME);
        Files.writeString(idx, "{\"weight_map\": {\"embed\": \"model-00002-of-00003.safetensors\"}}");
        assertThatThrownBy(() -> ModelSource.open(out)).isInstanceOf(ModelFormatException.class)
                .hasMessage(idx + ": weight_map puts tensor \"embed\" in model-00002-of-00003.safetensors, which does not contain it");
    }

    @Test
    void rejectsAnIndexWithoutWeightMapAndAMissingShard() throws IOException {
        Path out = writeSharded(64);
        Path idx = out.resolve(ShardIndex.FILE_NAME);
        Files.writeString(idx, "{\"metadata\": {}}");
        assertThatThrownBy(() -> ModelSource.open(out)).hasMessage(idx + ": shard index has no \"weight_map\" object");
        Files.writeString(idx, "{\"weight_map\": {\"embed\": \"gone.safetensors\"}}");
        assertThatThrownBy(() -> ModelSource.open(out))
                .hasMessage(out.resolve("gone.safetensors") + ": cannot read safetensors file: no such file or directory");
    }

    @Test
    void aCorruptShardIsNamed() throws IOException {
        Path out = writeSharded(64);
        Path shard = out.resolve("model-00002-of-00003.safetensors");
        byte[] b = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(b, b.length - 1));
        assertThatThrownBy(() -> ModelSource.open(out)).isInstanceOf(SafetensorsException.class)
                .hasMessageStartingWith(shard + ": invalid offset (tensor \"huge\")");
    }

    @Test
    void parsesSizesInDecimalUnits() {
        assertThat(ByteSize.parse("5GB")).isEqualTo(5_000_000_000L);
        assertThat(ByteSize.parse("1.5mb")).isEqualTo(1_500_000L);
        assertThat(ByteSize.parse("200")).isEqualTo(200L);
        assertThat(ByteSize.parse("2KB")).isEqualTo(2000L);
        assertThatThrownBy(() -> ByteSize.parse("5 GiB")).hasMessage("not a size: \"5 GiB\" (use e.g. 5GB, 500MB, 1.5GB or a byte count)");
        assertThatThrownBy(() -> ByteSize.parse("0")).hasMessage("size must be positive: \"0\"");
    }

    @Test
    void formatsSizesAsTheHubShowsThem() {
        assertThat(ByteSize.format(0)).isEqualTo("0 B");
        assertThat(ByteSize.format(290)).isEqualTo("290 B");
        assertThat(ByteSize.format(999)).isEqualTo("999 B");
        assertThat(ByteSize.format(1000)).isEqualTo("1 kB");
        assertThat(ByteSize.format(8192)).isEqualTo("8.19 kB");
        assertThat(ByteSize.format(232_176)).isEqualTo("232 kB");
        assertThat(ByteSize.format(999_499)).isEqualTo("999 kB");
        assertThat(ByteSize.format(999_500)).isEqualTo("1 MB");
        assertThat(ByteSize.format(1_500_000)).isEqualTo("1.5 MB");
        assertThat(ByteSize.format(4_976_698_672L)).isEqualTo("4.98 GB");
        assertThat(ByteSize.format(5_000_000_000L)).isEqualTo("5 GB");
        assertThat(ByteSize.format(12_345_678_901_234L)).isEqualTo("12.3 TB");
        assertThat(ByteSize.format(4_321_000_000_000_000L)).isEqualTo("4320 TB");
        assertThatThrownBy(() -> ByteSize.format(-1)).hasMessage("negative size: -1");
    }

    @Test
    void parseReadsFormatBack() {
        for (long n : new long[] {1, 999, 1000, 8192, 232_176, 999_999, 1_048_576, 5_000_000_000L, 7_241_732_096L,
                Long.MAX_VALUE / 1000}) {
            long back = ByteSize.parse(ByteSize.format(n));
            assertThat(Math.abs(back - n)).as("%d -> %s", n, ByteSize.format(n)).isLessThanOrEqualTo(n / 200);
        }
    }
}
