package dev.graft.algorithms.compress;

import dev.graft.core.exec.Parallel;
import dev.graft.formats.delta.DeltaArtifactWriter;
import dev.graft.formats.io.OutputClaim;
import dev.graft.formats.delta.DeltaEntry;
import dev.graft.formats.delta.DeltaManifest;
import dev.graft.formats.delta.DeltaPart;
import dev.graft.formats.delta.TensorChecksum;
import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.simd.VectorWork;
import dev.graft.formats.tensor.FiniteScan;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Compresses a fine-tune's delta against its base into one file.
 *
 * <pre>{@code
 * CompressionReport r = Compression.bitdelta()
 *         .base(Path.of("Llama-3.2-1B"))
 *         .tuned(Path.of("Llama-3.2-1B-Instruct"))
 *         .write(Path.of("instruct.delta.safetensors"));
 * System.out.printf("%.1fx smaller, error %.3f%n", r.ratioVsBf16Delta(), r.manifest().overallError());
 * }</pre>
 *
 * <p>Every 2-D floating-point tensor of at least {@value #MIN_SIDE} rows and columns that the base holds with the
 * same shape is compressed with the method; everything else (norms, biases, small or new tensors, and tensors
 * matching {@link #lossless(Pattern)}) is stored losslessly as the fine-tune's bytes. Tensors stream one per
 * thread from memory maps; the output is atomic.
 */
public final class Compression {
    /** Smallest row and column count a tensor needs to be compressed rather than stored as is. */
    public static final int MIN_SIDE = 16;

    private final DeltaCodec codec;
    private Path base;
    private Path tuned;
    private int threads = Runtime.getRuntime().availableProcessors();
    private boolean overwrite;
    private boolean allowNonFinite;
    private Pattern lossless;
    private TensorProgress progress = TensorProgress.NONE;

    private Compression(DeltaCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** BitDelta: sign bits and one scale per matrix. */
    public static Compression bitdelta() {
        return new Compression(new BitDelta());
    }

    /** ComPEFT: the top {@code density} fraction of each delta as ±α·σ ({@code alpha} NaN: L2-optimal). */
    public static Compression compeft(double density, double alpha) {
        return new Compression(new ComPeft(density, alpha));
    }

    /** DARE: drop each entry with probability {@code drop}, rescale the rest by 1/(1−drop). */
    public static Compression dare(double drop, long seed) {
        return new Compression(new Dare(drop, seed));
    }

    /** Delta-CoMe with the default 8/3/2-bit schedule at a budget of {@code bitsPerParam} bits per element. */
    public static Compression deltacome(double bitsPerParam) {
        return new Compression(DeltaCoMe.ofBudget(bitsPerParam));
    }

    /** Plain low-rank factors at rank {@code rank}. */
    public static Compression lowrank(int rank) {
        return new Compression(LowRank.ofRank(rank, 0));
    }

    /** Any codec. */
    public static Compression with(DeltaCodec codec) {
        return new Compression(codec);
    }

    /** The method and its parameters. */
    public DeltaCodec codec() {
        return codec;
    }

    /** The base model the delta is taken against (file, index or folder). */
    public Compression base(Path path) {
        this.base = path;
        return this;
    }

    /** The fine-tuned model. */
    public Compression tuned(Path path) {
        this.tuned = path;
        return this;
    }

    /** Tensors compressed at once (default: all cores). */
    public Compression threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + n);
        }
        this.threads = n;
        return this;
    }

    /** Replace an existing output (default: refuse). */
    public Compression overwrite(boolean value) {
        this.overwrite = value;
        return this;
    }

    /**
     * Compresses models holding NaN or infinite values instead of refusing them (default: refuse, naming the
     * model, the tensor and the count).
     */
    public Compression allowNonFinite(boolean value) {
        this.allowNonFinite = value;
        return this;
    }

    /** Store tensors whose name contains a match losslessly, e.g. {@code embed_tokens|lm_head} as BitDelta's code. */
    public Compression lossless(Pattern names) {
        this.lossless = names;
        return this;
    }

    public Compression progress(TensorProgress listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** One tensor to store: compressed against the base's tensor, or losslessly. */
    private record Job(TensorSpec spec, boolean compress) {
    }

    /**
     * Compresses into {@code out}.
     *
     * @throws dev.graft.formats.io.OutputExistsException when {@code out} exists and overwriting is off (before any
     *                                                    work)
     * @throws dev.graft.formats.FormatException          when a model cannot be read
     */
    public CompressionReport write(Path out) {
        Objects.requireNonNull(base, "base model not set");
        Objects.requireNonNull(tuned, "fine-tuned model not set");
        long start = System.nanoTime();
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        try (ModelSource b = ModelSource.open(base); ModelSource t = ModelSource.open(tuned);
             DeltaArtifactWriter writer = DeltaArtifactWriter.create(
                     OutputClaim.file(out, overwrite, List.of(base, tuned), 0))) {
            List<Job> jobs = new ArrayList<>();
            for (TensorSpec s : t.tensors()) {
                jobs.add(new Job(s, compressible(s, b.spec(s.name()), warnings)));
            }
            if (jobs.stream().noneMatch(Job::compress) && !jobs.isEmpty()) {
                warnings.add("no tensor was compressed: the base shares no weight matrix with the fine-tune");
            }
            progress.started(jobs.size(), t.dataBytes());
            long read = 0;
            for (Job job : jobs) {
                read += job.compress() ? 2 * job.spec().shape().elementCount() : 0;
            }
            VectorWork.expect(read);
            Parallel.run(threads, "graft-compress", jobs, job -> {
                store(job, b, t, writer);
                progress.tensorDone(job.spec());
            });
            DeltaManifest manifest = writer.commit(codec.method(), codec.parameters());
            long size = Files.size(writer.target());
            progress.finished();
            return new CompressionReport(writer.target(), manifest, size, (System.nanoTime() - start) / 1e9, warnings);
        } catch (IOException e) {
            throw new FileAccessException(out, "cannot read the size of the written delta", e);
        }
    }

    private boolean compressible(TensorSpec s, Optional<TensorSpec> inBase, List<String> warnings) {
        boolean matrix = s.shape().rank() == 2 && s.dtype().isFloatingPoint()
                && s.shape().dim(0) >= MIN_SIDE && s.shape().dim(1) >= MIN_SIDE;
        if (!matrix || (lossless != null && lossless.matcher(s.name()).find())) {
            return false;
        }
        if (inBase.isEmpty()) {
            warnings.add(s.name() + ": not in the base model; stored losslessly");
            return false;
        }
        if (!inBase.get().shape().equals(s.shape()) || !inBase.get().dtype().isFloatingPoint()) {
            warnings.add(s.name() + ": the base has it as " + inBase.get().dtype() + " " + inBase.get().shape()
                    + ", the fine-tune as " + s.dtype() + " " + s.shape() + "; stored losslessly");
            return false;
        }
        return true;
    }

    private void store(Job job, ModelSource b, ModelSource t, DeltaArtifactWriter writer) {
        try (Arena arena = Arena.ofConfined()) {
            Tensor tunedTensor = t.tensor(job.spec().name(), arena);
            if (!allowNonFinite) {
                FiniteScan.requireFinite(t.path(), tunedTensor);
            }
            if (!job.compress()) {
                writer.add(new DeltaEntry(job.spec(), DeltaEntry.COPY, Map.of(), List.of(), null, 0, 0, 0),
                        List.of(new DeltaPart(DeltaEntry.COPY_PART, tunedTensor.dtype(), tunedTensor.shape(),
                                tunedTensor.data())));
                return;
            }
            Tensor baseTensor = b.tensor(job.spec().name(), arena);
            if (!allowNonFinite) {
                FiniteScan.requireFinite(b.path(), baseTensor);
            }
            String checksum = TensorChecksum.of(baseTensor);
            EncodedDelta enc = codec.encode(new MatrixDelta(baseTensor, tunedTensor));
            writer.add(new DeltaEntry(job.spec(), enc.encoding(), enc.attributes(), List.of(), checksum, 0,
                    Math.sqrt(enc.normSquared()), enc.relativeError()), enc.parts());
        }
    }
}
