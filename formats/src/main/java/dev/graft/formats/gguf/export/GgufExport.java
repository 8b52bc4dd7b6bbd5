package dev.graft.formats.gguf.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.dtype.FloatCodec;
import dev.graft.formats.gguf.GgufError;
import dev.graft.formats.gguf.GgufException;
import dev.graft.formats.gguf.GgufLayout;
import dev.graft.formats.gguf.GgufTensorType;
import dev.graft.formats.gguf.GgufValue;
import dev.graft.formats.gguf.GgufWriter;
import dev.graft.formats.io.OutputClaim;
import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.NaturalOrder;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;
import dev.graft.formats.tokenizer.TokenizerFolder;
import dev.graft.formats.tokenizer.TokenizerKind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * A Hugging Face model (Llama, Mistral, Qwen2 or Gemma) written as one GGUF file for llama.cpp, as its
 * {@code convert_hf_to_gguf.py} would write it: GGUF tensor names ({@link TensorNames}), Llama-family q/k rows
 * permuted ({@link RotaryPermutation}), Gemma norms plus one, metadata from {@code config.json}
 * ({@link HyperParameters}) and the tokenizer ({@link TokenizerMetadata}), norms and 1-D tensors in F32 and the
 * rest in the chosen type ({@link TensorTypes}).
 *
 * <pre>{@code
 * try (ModelSource m = ModelSource.open(Path.of("merged"))) {
 *     GgufExport.Report r = GgufExport.of(m).type(GgufTensorType.Q8_0).write(Path.of("merged.gguf"));
 * }
 * }</pre>
 *
 * <p>Streaming: the header and tensor table are planned first, then tensors are written by {@code threads} workers,
 * each mapping one tensor at a time in its own arena and converting it through a small window, so memory does not
 * grow with the model. The file is atomic.
 */
public final class GgufExport {
    /** Values converted per pass. */
    private static final int WINDOW = 1 << 16;

    /** The model read by {@link #write}; null for a plan made by {@link #planned}. */
    private final ModelSource model;
    /** Named in messages. */
    private final Path path;
    /** Where {@code config.json}, the tokenizer and the recipe are read. */
    private final Path folder;
    private final Optional<ModelConfig> config;
    private final List<TensorSpec> specs;
    private GgufTensorType type;
    private Pattern keepF16;
    private String name;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private boolean overwrite;
    private LongConsumer progress = bytes -> { };

    /** One planned tensor. */
    public record Planned(String source, String name, GgufTensorType type, Shape shape, Optional<String> note) {
    }

    /**
     * @param output     the file written
     * @param tensors    tensors written
     * @param inputBytes bytes of tensor data read
     * @param fileBytes  the file's size
     * @param seconds    wall time of the write
     * @param notes      one line per tensor stored otherwise than asked (a row that is not whole blocks)
     */
    public record Report(Path output, int tensors, long inputBytes, long fileBytes, double seconds, List<String> notes) {
    }

    private GgufExport(ModelSource model, Path path, Path folder, Optional<ModelConfig> config,
                       List<TensorSpec> specs) {
        this.model = model;
        this.path = path;
        this.folder = folder;
        this.config = config;
        this.specs = List.copyOf(specs);
    }

    /** An export of an open model; the model must have a {@code config.json}. */
    public static GgufExport of(ModelSource model) {
        Path p = model.path().toAbsolutePath();
        return new GgufExport(model, model.path(), Files.isDirectory(p) ? p : p.getParent(), model.config(),
                model.tensors());
    }

    /**
     * The plan and metadata of a model not yet written: tensors {@code specs} (Hugging Face names) beside the
     * {@code config.json}, tokenizer and recipe in {@code folder}, as an export of that folder holding them would
     * plan them. {@link GgufStream} streams such a model straight into GGUF; {@link #write} refuses.
     *
     * @param named the path refusals name (the GGUF file to be written)
     */
    public static GgufExport planned(Path folder, List<TensorSpec> specs, Path named) {
        Path file = folder.resolve(ModelConfig.FILE_NAME);
        Optional<ModelConfig> config = Files.isRegularFile(file) ? Optional.of(ModelConfig.read(file))
                : Optional.empty();
        return new GgufExport(null, named, folder.toAbsolutePath(), config, specs);
    }

    /** The type of the 2-D tensors; by default the source's float type (F32, F16 or BF16; F16 for others). */
    public GgufExport type(GgufTensorType type) {
        this.type = type;
        return this;
    }

    /** GGUF tensor names (a match anywhere) kept as F16 whatever {@link #type} says; null for none. */
    public GgufExport keepF16(Pattern pattern) {
        this.keepF16 = pattern;
        return this;
    }

    /** {@link #type} and {@link #keepF16} at once, as {@code -o x.gguf} outputs take them. */
    public GgufExport types(GgufTypes types) {
        this.type = types.type().orElse(null);
        this.keepF16 = types.keepF16().orElse(null);
        return this;
    }

    /** {@code general.name}; by default the model folder's name. */
    public GgufExport name(String name) {
        this.name = name;
        return this;
    }

    /** Tensors converted at once (default: the available processors). */
    public GgufExport threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        this.threads = threads;
        return this;
    }

    /** Replace an existing output. */
    public GgufExport overwrite(boolean overwrite) {
        this.overwrite = overwrite;
        return this;
    }

    /** Called with the bytes of each tensor read, as it completes (from the workers' threads). */
    public GgufExport progress(LongConsumer progress) {
        this.progress = progress;
        return this;
    }

    private Path folder() {
        return folder;
    }

    /** {@code general.name} as {@link #metadata} writes it. */
    String generalName() {
        return name != null ? name : folder().getFileName().toString();
    }

    ModelConfig config() {
        return config.orElseThrow(() -> new GgufException(path, GgufError.UNMAPPED,
                "no config.json beside the weights; the GGUF metadata is read from it"));
    }

    GgufArchitecture architecture() {
        ModelConfig c = config();
        String modelType = c.modelType().orElseThrow(() -> new GgufException(path,
                GgufError.UNSUPPORTED_ARCHITECTURE, "config.json has no model_type; supported: "
                + GgufArchitecture.supported()));
        return GgufArchitecture.of(modelType, path);
    }

    private TensorTypes types() {
        GgufTensorType t = type;
        if (t == null) {
            DType source = specs.stream().filter(s -> s.shape().rank() == 2).map(TensorSpec::dtype)
                    .findFirst().orElse(DType.F16);
            t = switch (source) {
                case F32 -> GgufTensorType.F32;
                case BF16 -> GgufTensorType.BF16;
                default -> GgufTensorType.F16;
            };
        }
        return new TensorTypes(t, keepF16);
    }

    /**
     * The tensors as they will be written, in file order.
     *
     * @throws GgufException ({@link GgufError#UNMAPPED}) naming a tensor the mapping does not cover
     */
    public List<Planned> plan() {
        GgufArchitecture arch = architecture();
        TensorTypes types = types();
        List<Planned> out = new ArrayList<>();
        for (TensorSpec s : specs) {
            if (TensorNames.isSkipped(s.name()) || (arch == GgufArchitecture.GEMMA && s.name().equals("lm_head.weight"))) {
                continue;
            }
            String gguf = TensorNames.gguf(s.name()).orElseThrow(() -> new GgufException(path,
                    GgufError.UNMAPPED, s.name(), "no GGUF name for it in the " + arch.ggufName() + " mapping"));
            TensorTypes.Choice c = types.of(gguf, s.shape());
            out.add(new Planned(s.name(), gguf, c.type(), s.shape(), c.reason().map(r -> gguf + ": " + r)));
        }
        out.sort(Comparator.comparing(Planned::name, NaturalOrder.INSTANCE));
        return out;
    }

    /**
     * Every metadata entry the file gets, in order: {@code general.*}, the architecture's keys, the tokenizer's.
     */
    public Map<String, GgufValue> metadata() {
        GgufArchitecture arch = architecture();
        ObjectNode json = config().json();
        Path folder = folder();
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("general.architecture", GgufValue.string(arch.ggufName()));
        m.put("general.name", GgufValue.string(generalName()));
        m.put("general.file_type", GgufValue.u32(types().fileType()));
        m.put("general.quantization_version", GgufValue.u32(2));
        Path recipe = folder.resolve("graft_recipe.yml");
        if (Files.isRegularFile(recipe)) {
            try {
                m.put("general.source.graft_recipe", GgufValue.string(Files.readString(recipe)));
            } catch (java.io.IOException e) {
                throw new dev.graft.formats.io.FileAccessException(recipe, "cannot read the recipe", e);
            }
        }
        HyperParameters hp = HyperParameters.of(arch, json, folder.resolve(ModelConfig.FILE_NAME));
        m.putAll(hp.metadata());
        TokenizerFolder tokenizer = TokenizerFolder.of(folder);
        if (tokenizer.kind() != TokenizerKind.NONE) {
            int rows = specs.stream().filter(s -> s.name().equals("model.embed_tokens.weight")).findFirst()
                    .map(s -> (int) s.shape().dim(0))
                    .orElse(json.path("vocab_size").asInt(0));
            m.putAll(TokenizerMetadata.of(tokenizer, arch, rows, json));
        }
        return m;
    }

    /**
     * Writes the file.
     *
     * @throws GgufException for an unsupported architecture, an unmapped tensor, or a value a quantized block
     *                       cannot hold
     */
    public Report write(Path output) {
        if (model == null) {
            throw new IllegalStateException("a planned export has no model to read; stream it with GgufStream");
        }
        long start = System.nanoTime();
        GgufArchitecture arch = architecture();
        HyperParameters hp = hyperParameters();
        List<Planned> plan = plan();
        Map<String, GgufValue> meta = metadata();
        GgufLayout layout = layout(output, plan, meta);
        OutputClaim claim = OutputClaim.file(output, overwrite, model.inputs(), layout.fileSize());
        AtomicLong read = new AtomicLong();
        try (GgufWriter writer = GgufWriter.create(claim, layout)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "gguf-export");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> jobs = new ArrayList<>();
                for (Planned p : plan) {
                    jobs.add(pool.submit(() -> {
                        long bytes = writeTensor(writer, p, arch, hp);
                        read.addAndGet(bytes);
                        progress.accept(bytes);
                    }));
                }
                for (Future<?> f : jobs) {
                    join(f);
                }
            } finally {
                pool.shutdownNow();
            }
            Path done = writer.commit();
            List<String> notes = new ArrayList<>(plan.stream().flatMap(p -> p.note().stream()).toList());
            vocabularyNote(layout, meta).ifPresent(notes::add);
            return new Report(done, plan.size(), read.get(), layout.fileSize(), (System.nanoTime() - start) / 1e9,
                    notes);
        }
    }

    /** The tensors planned from, Hugging Face names. */
    List<TensorSpec> specs() {
        return specs;
    }

    HyperParameters hyperParameters() {
        return HyperParameters.of(architecture(), config().json(), folder().resolve(ModelConfig.FILE_NAME));
    }

    static GgufLayout layout(Path output, List<Planned> plan, Map<String, GgufValue> meta) {
        return GgufLayout.plan(output, meta, plan.stream()
                .map(p -> new GgufLayout.Entry(p.name(), p.type(), p.shape())).toList());
    }

    /** The note {@link Report#notes} gets when the file has tensors but no vocabulary. */
    static Optional<String> vocabularyNote(GgufLayout layout, Map<String, GgufValue> meta) {
        return !layout.tensors().isEmpty() && !meta.containsKey("tokenizer.ggml.model")
                ? Optional.of("no tokenizer.json or vocab.json beside the model: the file has no vocabulary, which "
                        + "llama.cpp needs to run it") : Optional.empty();
    }

    private static void join(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing GGUF", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Streams one tensor into its sink; returns the bytes read. */
    private long writeTensor(GgufWriter writer, Planned p, GgufArchitecture arch, HyperParameters hp) {
        try (Arena arena = Arena.ofConfined(); GgufWriter.TensorSink sink = writer.sink(p.name())) {
            Tensor t = model.tensor(p.source(), arena);
            if (arch.permutesQueryKey() && TensorNames.isQueryOrKey(p.name())) {
                int heads = TensorNames.isKey(p.name()) ? hp.kvHeads() : hp.heads();
                writePermuted(sink, t, new RotaryPermutation(t.shape().dim(0), heads));
            } else if (arch.normPlusOne() && TensorNames.isNorm(p.name())) {
                sink.writeFloats(plusOne(t), 0, (int) t.elementCount());
            } else {
                sink.writeFrom(t);
            }
            return t.spec().byteSize();
        }
    }

    /** Rows in GGUF order, each copied whole: raw bytes where the dtype is kept, else through float32. */
    private static void writePermuted(GgufWriter.TensorSink sink, Tensor t, RotaryPermutation perm) {
        long rows = t.shape().dim(0);
        int cols = (int) (t.elementCount() / rows);
        float[] row = new float[cols];
        boolean raw = sink.acceptsRaw(t.dtype());
        long rowBytes = (long) cols * t.dtype().byteSize();
        for (long r = 0; r < rows; r++) {
            long src = perm.sourceRow(r);
            if (raw) {
                sink.writeBytes(t.data().asSlice(src * rowBytes, rowBytes));
            } else {
                t.readFloats(src * cols, row, 0, cols);
                sink.writeFloats(row, 0, cols);
            }
        }
    }

    /**
     * Gemma's {@code w + 1}, rounded to the source dtype as torch's {@code data_torch + 1} is (a bf16 tensor plus
     * one is a bf16 tensor), then widened for the F32 output.
     */
    private static float[] plusOne(Tensor t) {
        return plusOne(t.toFloatArray(), t.dtype());
    }

    /** {@link #plusOne(Tensor)} of values of dtype {@code dtype}, in place. */
    static float[] plusOne(float[] v, DType dtype) {
        for (int i = 0; i < v.length; i++) {
            v[i] += 1f;
        }
        if (dtype != DType.F32) {
            FloatCodec codec = FloatCodec.of(dtype);
            MemorySegment rounded = MemorySegment.ofArray(new byte[v.length * dtype.byteSize()]);
            codec.encode(v, 0, v.length, rounded, 0);
            codec.decode(rounded, 0, v, 0, v.length);
        }
        return v;
    }
}
