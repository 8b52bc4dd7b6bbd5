package dev.graft.algorithms.compress;

import dev.graft.core.exec.MergeOutput;
import dev.graft.core.exec.Parallel;
import dev.graft.formats.delta.DeltaArtifact;
import dev.graft.formats.delta.DeltaEntry;
import dev.graft.formats.delta.DeltaFormatException;
import dev.graft.formats.delta.DeltaManifest;
import dev.graft.formats.delta.TensorChecksum;
import dev.graft.formats.gguf.export.GgufTypes;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.shard.ShardedWriter;
import dev.graft.formats.simd.VectorWork;
import dev.graft.formats.tensor.ReleaseBehind;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorDataSink;
import dev.graft.formats.tensor.TensorSpec;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies a compressed delta to its base: {@code W = W_base + Δ̂} for every compressed tensor, the stored bytes for
 * every lossless one, written in the fine-tune's dtypes.
 *
 * <pre>{@code
 * DecompressionReport r = Decompression.apply(Path.of("Llama-3.2-1B"), Path.of("instruct.delta.safetensors"),
 *         Path.of("restored"));      // a folder; "restored.safetensors" for one file
 * }</pre>
 *
 * <p>Before anything is written, every compressed tensor's name, shape and dtype are checked against the base;
 * each base tensor's CRC32C is checked against the one recorded at compression as it is read. A different base
 * fails with the tensor named, and the atomic output leaves nothing behind. Streams tensor by tensor from memory
 * maps, several at once.
 */
public final class Decompression {
    private int threads = Runtime.getRuntime().availableProcessors();
    private boolean overwrite;
    private long maxShardBytes = ShardedWriter.DEFAULT_MAX_SHARD_BYTES;
    private GgufTypes ggufTypes = GgufTypes.DEFAULT;
    private TensorProgress progress = TensorProgress.NONE;
    private DeltaCodec codec;

    /** What a decompression wrote. */
    public record Report(Path output, DeltaManifest manifest, long bytes, double seconds) {
    }

    /** Decompression with default options: all cores, no overwrite, 5 GB shards. */
    public static Decompression options() {
        return new Decompression();
    }

    /** Applies {@code delta} to {@code base} into {@code out} with default options. */
    public static Report apply(Path base, Path delta, Path out) {
        return options().run(base, delta, out);
    }

    public Decompression threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + n);
        }
        this.threads = n;
        return this;
    }

    public Decompression overwrite(boolean value) {
        this.overwrite = value;
        return this;
    }

    /** Shard size limit for folder outputs. */
    public Decompression maxShardBytes(long value) {
        this.maxShardBytes = value;
        return this;
    }

    /**
     * The tensor types of a {@code .gguf} output, as {@code graft export gguf}'s {@code --type} and
     * {@code --keep-f16} (default: the model's own float type); only a {@code .gguf} output takes others.
     */
    public Decompression ggufTypes(GgufTypes types) {
        this.ggufTypes = Objects.requireNonNull(types, "types");
        return this;
    }

    /**
     * Decodes with this codec rather than the built-in one the delta names: for deltas written by a custom
     * {@link DeltaCodec} through {@link Compression#with}. Its method name must be the delta's.
     */
    public Decompression codec(DeltaCodec value) {
        this.codec = Objects.requireNonNull(value, "codec");
        return this;
    }

    public Decompression progress(TensorProgress listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Applies {@code delta} to {@code base} into {@code out}: a {@code .safetensors} file, or else a Hugging Face
     * folder (the base's {@code config.json} and tokenizer files copied, a model card added).
     *
     * @throws DeltaFormatException when the delta is damaged or {@code base} is not the model it was made from
     */
    public Report run(Path base, Path delta, Path out) {
        long start = System.nanoTime();
        try (DeltaArtifact artifact = DeltaArtifact.open(delta); ModelSource b = ModelSource.open(base)) {
            DeltaManifest manifest = artifact.manifest();
            DeltaCodec decoding = codecFor(manifest, delta);
            checkBase(manifest, b, delta);
            List<TensorSpec> specs = manifest.entries().stream().map(DeltaEntry::spec).toList();
            progress.started(specs.size(), manifest.tunedBytes());
            VectorWork.expect(specs.stream().mapToLong(s -> s.shape().elementCount()).sum());
            try (MergeOutput output = open(out, specs, b, manifest, delta)) {
                Parallel.run(threads, "graft-decompress", manifest.entries(), e -> {
                    apply(e, decoding, artifact, b, output);
                    progress.tensorDone(e.spec());
                });
                Path published = output.commit();
                progress.finished();
                return new Report(published, manifest, manifest.tunedBytes(), (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private DeltaCodec codecFor(DeltaManifest manifest, Path delta) {
        if (codec != null) {
            if (!codec.method().equals(manifest.method())) {
                throw new DeltaFormatException(delta, "is a " + manifest.method() + " delta; the codec given decodes "
                        + codec.method());
            }
            return codec;
        }
        try {
            return DeltaCodecs.of(manifest.method(), manifest.parameters());
        } catch (IllegalArgumentException e) {
            throw new DeltaFormatException(delta, "cannot decode: " + e.getMessage());
        }
    }

    /** Names, shapes and dtypes first: a wrong base usually shows here, before any data is read. */
    private static void checkBase(DeltaManifest manifest, ModelSource base, Path delta) {
        for (DeltaEntry e : manifest.entries()) {
            if (e.isCopy()) {
                continue;
            }
            Optional<TensorSpec> s = base.spec(e.name());
            if (s.isEmpty()) {
                throw new DeltaFormatException(delta, "tensor \"" + e.name() + "\" is not in the base " + base.path()
                        + "; this delta was made from a different base model");
            }
            if (!s.get().shape().equals(e.spec().shape()) || !s.get().dtype().isFloatingPoint()) {
                throw new DeltaFormatException(delta, "tensor \"" + e.name() + "\" is " + s.get().dtype() + " "
                        + s.get().shape() + " in the base " + base.path() + " but " + e.spec().shape()
                        + " in the delta; this delta was made from a different base model");
            }
        }
    }

    private MergeOutput open(Path out, List<TensorSpec> specs, ModelSource base, DeltaManifest manifest, Path delta) {
        Path folder = Files.isDirectory(base.path()) ? base.path() : base.path().toAbsolutePath().getParent();
        String card = "# " + out.toAbsolutePath().normalize().getFileName() + "\n\nRestored with Graft from the "
                + manifest.method() + " delta `" + delta.getFileName() + "` applied to `" + base.path().getFileName()
                + "` (relative reconstruction error of the delta " + String.format("%.4g", manifest.overallError())
                + ").\n";
        long bytes = specs.stream().mapToLong(TensorSpec::byteSize).sum();
        return MergeOutput.open(MergeOutput.claim(out, overwrite, List.of(base.path(), delta), bytes), specs,
                base.config().orElse(null), folder, Map.of("README.md", card), maxShardBytes, ggufTypes);
    }

    private static void apply(DeltaEntry e, DeltaCodec codec, DeltaArtifact artifact, ModelSource base,
                              MergeOutput output) {
        try (Arena arena = Arena.ofConfined(); TensorDataSink sink = output.sink(e.name())) {
            if (e.isCopy()) {
                Tensor value = artifact.part(e, DeltaEntry.COPY_PART);
                if (!value.shape().equals(e.spec().shape()) || value.dtype() != e.spec().dtype()) {
                    throw new DeltaFormatException(artifact.path(), "damaged delta: tensor \"" + e.name()
                            + "\" is stored as " + value.dtype() + " " + value.shape() + ", the manifest says "
                            + e.spec().dtype() + " " + e.spec().shape());
                }
                sink.writeFrom(value);
                return;
            }
            Tensor b = base.tensor(e.name(), arena);
            String crc = TensorChecksum.of(b);
            if (!crc.equals(e.baseChecksum())) {
                throw new DeltaFormatException(artifact.path(), "tensor \"" + e.name() + "\" of the base "
                        + base.path() + " differs from the one this delta was made from (CRC32C " + crc
                        + ", expected " + e.baseChecksum() + "); apply the delta to its own base model");
            }
            try (DeltaDecoder decoder = codec.decoder(e, artifact)) {
                long n = e.spec().elementCount();
                float[] values = new float[(int) Math.min(MatrixDelta.CHUNK, Math.max(1, n))];
                ReleaseBehind read = new ReleaseBehind(b);
                for (long first = 0; first < n; first += values.length) {
                    int count = (int) Math.min(values.length, n - first);
                    b.readFloats(first, values, 0, count);
                    decoder.addTo(first, values, count);
                    sink.writeFloats(values, 0, count);
                    read.readUpTo(first + count);
                }
            }
        }
    }
}
