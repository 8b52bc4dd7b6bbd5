package dev.graft.algorithms.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.formats.delta.DeltaArtifact;
import dev.graft.formats.delta.DeltaEntry;
import dev.graft.formats.delta.DeltaFormatException;
import dev.graft.formats.delta.DeltaManifest;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.OutputExistsException;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.safetensors.SafetensorsException;
import dev.graft.formats.tensor.TensorSpec;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyLlama;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CompressionTest {
    @TempDir
    static Path models;

    static FineTuneFamily.Folders family;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeModels() {
        family = FineTuneFamily.of(TinyLlama.builder().dtype(DType.F32).seed(1).build()).fineTunes(2).seed(3)
                .writeTo(models);
    }

    static Stream<Compression> methods() {
        return Stream.of(Compression.bitdelta(), Compression.compeft(0.2, Double.NaN), Compression.compeft(0.05, 1),
                Compression.dare(0.5, 7), Compression.deltacome(2), Compression.lowrank(8));
    }

    @ParameterizedTest
    @MethodSource("methods")
    void decompressReproducesTheFineTuneWithinTheReportedError(Compression c) {
        Path delta = dir.resolve("d.safetensors");
        CompressionReport report = c.base(family.base()).tuned(family.fineTunes().getFirst()).threads(2).write(delta);
        Path out = dir.resolve("restored.safetensors");
        Decompression.Report restored = Decompression.options().threads(2).run(family.base(), delta, out);
        assertThat(restored.output()).isEqualTo(out.toAbsolutePath().normalize());

        int compressed = 0;
        try (ModelSource base = ModelSource.open(family.base());
             ModelSource tuned = ModelSource.open(family.fineTunes().getFirst());
             ModelSource got = ModelSource.open(out)) {
            assertThat(got.tensors()).isEqualTo(tuned.tensors());
            for (DeltaEntry e : report.manifest().entries()) {
                float[] t = tuned.tensor(e.name()).toFloatArray();
                float[] g = got.tensor(e.name()).toFloatArray();
                if (e.isCopy()) {
                    assertThat(g).containsExactly(t);
                    assertThat(e.spec().shape().rank()).isNotEqualTo(2);
                    continue;
                }
                compressed++;
                float[] b = base.tensor(e.name()).toFloatArray();
                double err = 0;
                double norm = 0;
                for (int i = 0; i < t.length; i++) {
                    double d = (double) t[i] - b[i];
                    double dh = (double) g[i] - b[i];
                    err += (d - dh) * (d - dh);
                    norm += d * d;
                }
                // float32 rounding of base + Δ̂ is the only difference from the reported error.
                assertThat(Math.sqrt(err / norm)).as(e.name()).isLessThanOrEqualTo(e.error() + 1e-4);
                assertThat(e.baseChecksum()).matches("[0-9a-f]{8}");
            }
        }
        assertThat(compressed).isEqualTo(16); // 2 layers × 7 projections, embed_tokens, lm_head
        assertThat(report.ratioVsModel()).isGreaterThan(1);
        assertThat(report.manifest().method()).isEqualTo(c.codec().method());
    }

    @Test
    void theFileIsTheSameForAnyThreadCount() throws IOException {
        Path one = dir.resolve("one.safetensors");
        Path three = dir.resolve("three.safetensors");
        Compression.dare(0.9, 1).base(family.base()).tuned(family.fineTunes().getFirst()).threads(1).write(one);
        Compression.dare(0.9, 1).base(family.base()).tuned(family.fineTunes().getFirst()).threads(3).write(three);
        assertThat(Files.readAllBytes(three)).isEqualTo(Files.readAllBytes(one));
    }

    @Test
    void refusesABaseWithOtherWeightsNamingTheTensor() {
        Path delta = dir.resolve("d.safetensors");
        Compression.bitdelta().base(family.base()).tuned(family.fineTunes().getFirst()).write(delta);
        Path out = dir.resolve("out.safetensors");
        assertThatThrownBy(() -> Decompression.options().threads(1).run(family.fineTunes().get(1), delta, out))
                .isInstanceOf(DeltaFormatException.class)
                .hasMessageContaining("tensor \"")
                .hasMessageContaining("differs from the one this delta was made from (CRC32C");
        assertThat(out).doesNotExist();
        assertThat(dir.toFile().list()).containsExactly("d.safetensors");
    }

    @Test
    void refusesABaseOfAnotherShapeBeforeReadingAnyData() {
        Path delta = dir.resolve("d.safetensors");
        Compression.bitdelta().base(family.base()).tuned(family.fineTunes().getFirst()).write(delta);
        Path other = TinyLlama.builder().hidden(32).dtype(DType.F32).build().writeTo(dir.resolve("small"));
        assertThatThrownBy(() -> Decompression.apply(other, delta, dir.resolve("out")))
                .isInstanceOf(DeltaFormatException.class)
                .hasMessageMatching(".*tensor \"lm_head\\.weight\" is F32 \\[256, 32] in the base .* but "
                        + "\\[256, 64] in the delta; this delta was made from a different base model");
    }

    @Test
    void rejectsTruncatedDamagedAndForeignFiles() throws IOException {
        Path delta = dir.resolve("d.safetensors");
        Compression.bitdelta().base(family.base()).tuned(family.fineTunes().getFirst()).write(delta);
        Path cut = dir.resolve("cut.safetensors");
        Files.copy(delta, cut);
        try (FileChannel ch = FileChannel.open(cut, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 100);
        }
        assertThatThrownBy(() -> Decompression.apply(family.base(), cut, dir.resolve("o1.safetensors")))
                .isInstanceOf(SafetensorsException.class).hasMessageContaining("cut.safetensors");

        assertThatThrownBy(() -> Decompression.apply(family.base(), family.base().resolve("model.safetensors"),
                dir.resolve("o2.safetensors")))
                .isInstanceOf(DeltaFormatException.class).hasMessageContaining("not a Graft compressed delta");

        // A manifest promising a part the file lacks.
        Path damaged = dir.resolve("damaged.safetensors");
        try (DeltaArtifact a = DeltaArtifact.open(delta)) {
            DeltaManifest m = a.manifest();
            DeltaEntry first = m.entries().stream().filter(e -> !e.isCopy()).findFirst().orElseThrow();
            List<DeltaEntry> changed = m.entries().stream().map(e -> e != first ? e : new DeltaEntry(e.spec(),
                    e.encoding(), e.attributes(), List.of("signs", "scale", "extra"), e.baseChecksum(), e.storedBytes(),
                    e.norm(), e.error())).toList();
            rewriteMetadata(a, new DeltaManifest(m.version(), m.method(), m.parameters(), changed), damaged);
            assertThatThrownBy(() -> DeltaArtifact.open(damaged)).isInstanceOf(DeltaFormatException.class)
                    .hasMessageContaining("tensor \"" + first.name() + "\" lacks its part \"extra\"");

            // A newer layout, and a method this version does not know.
            Path newer = dir.resolve("newer.safetensors");
            rewriteMetadata(a, new DeltaManifest(2, m.method(), m.parameters(), m.entries()), newer);
            assertThatThrownBy(() -> Decompression.apply(family.base(), newer, dir.resolve("o3.safetensors")))
                    .isInstanceOf(DeltaFormatException.class)
                    .hasMessageEndingWith("newer.safetensors: delta format version 2 is not supported (this Graft reads "
                            + "versions 1 to 1; upgrade Graft)");
            Path unknown = dir.resolve("unknown.safetensors");
            rewriteMetadata(a, new DeltaManifest(1, "zstd", m.parameters(), m.entries()), unknown);
            assertThatThrownBy(() -> Decompression.apply(family.base(), unknown, dir.resolve("o4.safetensors")))
                    .isInstanceOf(DeltaFormatException.class)
                    .hasMessageContaining("cannot decode: unknown compression method \"zstd\"");
        }
    }

    /** Copies a delta's tensors under another manifest. */
    private static void rewriteMetadata(DeltaArtifact a, DeltaManifest m, Path out) {
        try (dev.graft.formats.safetensors.SafetensorsFile f = dev.graft.formats.safetensors.SafetensorsFile.open(a.path());
             dev.graft.formats.safetensors.SafetensorsWriter w = dev.graft.formats.safetensors.SafetensorsWriter.create(
                     out, f.tensors().stream().map(t -> t.spec()).toList(), m.toMetadata(), false)) {
            f.tensors().forEach(t -> w.write(f.view(t)));
            w.commit();
        }
    }

    @Test
    void refusesToReplaceAnOutputBeforeAnyWork() throws IOException {
        Path delta = Files.writeString(dir.resolve("d.safetensors"), "keep me");
        assertThatThrownBy(() -> Compression.bitdelta().base(family.base()).tuned(family.fineTunes().getFirst())
                .write(delta)).isInstanceOf(OutputExistsException.class);
        assertThat(Files.readString(delta)).isEqualTo("keep me");
        assertThat(dir.toFile().list()).containsExactly("d.safetensors");
    }

    @Test
    void storesMatchingTensorsLosslesslyOnRequestAndWritesAFolderLikeAMerge() {
        Path delta = dir.resolve("d.safetensors");
        CompressionReport r = Compression.bitdelta().lossless(Pattern.compile("embed_tokens|lm_head"))
                .base(family.base()).tuned(family.fineTunes().getFirst()).write(delta);
        assertThat(r.manifest().entries()).filteredOn(e -> e.name().contains("embed_tokens"))
                .singleElement().extracting(DeltaEntry::encoding).isEqualTo("copy");
        Path out = dir.resolve("restored");
        Decompression.apply(family.base(), delta, out);
        assertThat(out.resolve("config.json")).exists();
        assertThat(out.resolve("README.md")).content().contains("bitdelta");
        try (ModelSource got = ModelSource.open(out); ModelSource tuned = ModelSource.open(family.fineTunes().getFirst())) {
            assertThat(got.tensor("model.embed_tokens.weight").toFloatArray())
                    .containsExactly(tuned.tensor("model.embed_tokens.weight").toFloatArray());
            assertThat(got.tensors()).extracting(TensorSpec::name).isEqualTo(tuned.tensors().stream().map(TensorSpec::name).toList());
        }
    }
}
