package dev.graft.formats.gguf.export;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.dtype.FloatCodec;
import dev.graft.formats.gguf.GgufLayout;
import dev.graft.formats.gguf.GgufValue;
import dev.graft.formats.gguf.GgufWriter;
import dev.graft.formats.io.OutputClaim;
import dev.graft.formats.tensor.ReleaseBehind;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorDataSink;
import dev.graft.formats.tensor.TensorSpec;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A model written tensor by tensor under its Hugging Face names straight into a GGUF file, as
 * {@link GgufExport#write} would write the same model once saved as a folder: each value is first rounded to the
 * tensor's planned dtype (what the folder would have held), then mapped, permuted and typed as the export does.
 * The bytes equal those of {@code graft export gguf} of the folder.
 *
 * <pre>{@code
 * GgufExport plan = GgufExport.planned(sideFolder, specs, target).name("merged");
 * try (GgufStream out = GgufStream.open(plan, OutputClaim.file(target, false, inputs, 0))) {
 *     try (TensorDataSink s = out.sink("model.norm.weight")) { s.writeFloats(values, 0, values.length); }
 *     out.commit();
 * }
 * }</pre>
 *
 * <p>Tensors stream through to the file in windows, except Llama-family q/k projections and Gemma norms, which a
 * sink holds whole (one tensor, as float32) to reorder rows or add one. Tensors the export leaves out (rotary
 * caches, Gemma's tied {@code lm_head}) are taken and dropped. The file is atomic.
 */
public final class GgufStream implements AutoCloseable {
    private final GgufWriter writer;
    private final GgufArchitecture arch;
    private final HyperParameters hp;
    private final Map<String, GgufExport.Planned> bySource;
    private final Map<String, TensorSpec> specs;
    private final List<String> notes;

    private GgufStream(GgufWriter writer, GgufArchitecture arch, HyperParameters hp, List<GgufExport.Planned> planned,
                       List<String> notes, List<TensorSpec> specs) {
        this.writer = writer;
        this.arch = arch;
        this.hp = hp;
        this.bySource = planned.stream().collect(Collectors.toMap(GgufExport.Planned::source, Function.identity()));
        this.specs = specs.stream().collect(Collectors.toMap(TensorSpec::name, Function.identity()));
        this.notes = List.copyOf(notes);
    }

    /**
     * Plans the file and writes its header into a temp file beside the claim's target; the stream owns the claim
     * (released on failure too).
     *
     * @throws dev.graft.formats.gguf.GgufException for an architecture without a GGUF mapping or an unmapped
     *                                              tensor, before anything is written
     */
    public static GgufStream open(GgufExport plan, OutputClaim claim) {
        try {
            List<GgufExport.Planned> planned = plan.plan();
            Map<String, GgufValue> meta = plan.metadata();
            GgufArchitecture arch = plan.architecture();
            HyperParameters hp = plan.hyperParameters();
            GgufLayout layout = GgufExport.layout(claim.target(), planned, meta);
            List<String> notes = new ArrayList<>(planned.stream().flatMap(p -> p.note().stream()).toList());
            GgufExport.vocabularyNote(layout, meta).ifPresent(notes::add);
            GgufWriter writer = GgufWriter.create(claim, layout);
            return new GgufStream(writer, arch, hp, planned, notes, plan.specs());
        } catch (RuntimeException e) {
            claim.close();
            throw e;
        }
    }

    /** One line per tensor stored otherwise than asked, and one if the file has no vocabulary. */
    public List<String> notes() {
        return notes;
    }

    /**
     * The sink of the tensor named {@code hfName} in the plan's specs.
     *
     * @throws IllegalArgumentException for a name not among them
     */
    public TensorDataSink sink(String hfName) {
        TensorSpec spec = specs.get(hfName);
        if (spec == null) {
            throw new IllegalArgumentException(hfName + ": not a tensor of this GGUF output");
        }
        GgufExport.Planned p = bySource.get(hfName);
        if (p == null) {
            return new Sink(spec, null, Optional.empty(), false);
        }
        GgufWriter.TensorSink target = writer.sink(p.name());
        Optional<RotaryPermutation> perm = Optional.empty();
        if (arch.permutesQueryKey() && TensorNames.isQueryOrKey(p.name())) {
            int heads = TensorNames.isKey(p.name()) ? hp.kvHeads() : hp.heads();
            perm = Optional.of(new RotaryPermutation(spec.shape().dim(0), heads));
        }
        boolean plusOne = arch.normPlusOne() && TensorNames.isNorm(p.name());
        return new Sink(spec, target, perm, plusOne);
    }

    /** Publishes the file once every planned tensor is complete. */
    public Path commit() {
        return writer.commit();
    }

    /** Abandons the file unless committed. */
    @Override
    public void close() {
        writer.close();
    }

    /** Rounds to the spec's dtype, then passes on (or holds the tensor whole to permute it or add one). */
    private static final class Sink implements TensorDataSink {
        private static final int WINDOW = 1 << 16;
        private final TensorSpec spec;
        private final GgufWriter.TensorSink target;
        private final Optional<RotaryPermutation> perm;
        private final boolean plusOne;
        private final FloatCodec codec;
        private final float[] whole;
        private byte[] bytes;
        private float[] floats;
        private long given;

        /** @param target null for a tensor the file leaves out */
        Sink(TensorSpec spec, GgufWriter.TensorSink target, Optional<RotaryPermutation> perm, boolean plusOne) {
            this.spec = spec;
            this.target = target;
            this.perm = perm;
            this.plusOne = plusOne;
            this.codec = FloatCodec.of(spec.dtype());
            boolean held = target != null && (perm.isPresent() || plusOne);
            this.whole = held ? new float[Math.toIntExact(spec.shape().elementCount())] : null;
        }

        @Override
        public long remainingElements() {
            return spec.shape().elementCount() - given;
        }

        private void room(long count) {
            if (count > remainingElements()) {
                throw new IllegalArgumentException(spec.name() + ": writing " + count + " values at element " + given
                        + " overruns its " + spec.shape().elementCount());
            }
        }

        @Override
        public void writeFloats(float[] src, int from, int count) {
            room(count);
            int size = spec.dtype().byteSize();
            for (int done = 0; done < count; ) {
                int n = Math.min(WINDOW, count - done);
                MemorySegment seg = MemorySegment.ofArray(bytes(n * size));
                codec.encode(src, from + done, n, seg, 0);
                take(seg.asSlice(0, (long) n * size), n);
                done += n;
            }
        }

        @Override
        public void writeBytes(MemorySegment data) {
            int size = spec.dtype().byteSize();
            if (data.byteSize() % size != 0) {
                throw new IllegalArgumentException(spec.name() + ": " + data.byteSize() + " bytes are not whole "
                        + spec.dtype() + " elements");
            }
            room(data.byteSize() / size);
            long step = (long) WINDOW * size;
            for (long off = 0; off < data.byteSize(); off += step) {
                long n = Math.min(step, data.byteSize() - off);
                take(data.asSlice(off, n), (int) (n / size));
            }
        }

        @Override
        public void writeFrom(Tensor t) {
            if (!t.shape().equals(spec.shape())) {
                throw new IllegalArgumentException(spec.name() + ": shape " + t.shape() + " given for "
                        + spec.shape());
            }
            if (t.dtype() == spec.dtype()) {
                ReleaseBehind.bytes(t, this::writeBytes);
                return;
            }
            writeThroughFloats(t, WINDOW);
        }

        /** Takes {@code n} elements of the spec's dtype. */
        private void take(MemorySegment data, int n) {
            if (target == null) {
                given += n;
                return;
            }
            if (whole != null) {
                codec.decode(data, 0, whole, (int) given, n);
                given += n;
                if (given == whole.length) {
                    emitWhole();
                }
                return;
            }
            if (target.acceptsRaw(spec.dtype())) {
                target.writeBytes(data);
            } else {
                float[] f = floats(n);
                codec.decode(data, 0, f, 0, n);
                target.writeFloats(f, 0, n);
            }
            given += n;
        }

        private void emitWhole() {
            if (plusOne) {
                GgufExport.plusOne(whole, spec.dtype());
                target.writeFloats(whole, 0, whole.length);
                return;
            }
            RotaryPermutation p = perm.orElseThrow();
            long rows = spec.shape().dim(0);
            int cols = (int) (whole.length / rows);
            for (long r = 0; r < rows; r++) {
                target.writeFloats(whole, (int) (p.sourceRow(r) * cols), cols);
            }
        }

        private byte[] bytes(int n) {
            if (bytes == null || bytes.length < n) {
                bytes = new byte[n];
            }
            return bytes;
        }

        private float[] floats(int n) {
            if (floats == null || floats.length < n) {
                floats = new float[n];
            }
            return floats;
        }

        @Override
        public void close() {
            if (target != null) {
                target.close();
            }
            bytes = null;
            floats = null;
        }
    }
}
