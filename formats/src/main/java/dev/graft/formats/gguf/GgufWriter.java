package dev.graft.formats.gguf;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.dtype.FloatCodec;
import dev.graft.formats.io.AtomicFile;
import dev.graft.formats.io.OutputClaim;
import dev.graft.formats.json.JsonStrings;
import dev.graft.formats.tensor.ReleaseBehind;
import dev.graft.formats.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Writes a GGUF v3 file tensor by tensor with constant memory.
 *
 * <p>The whole header, tensor-info table included, is planned before any data ({@link GgufLayout}), so each
 * tensor's place is known: tensors may be written in any order and from several threads, one {@link TensorSink}
 * each. Each sink takes float32 values front to back (row-major, which is ggml's order too) and stores them as
 * the planned type: F32, F16 and BF16 rounded to nearest even, Q8_0, Q4_0, Q4_K and Q6_K block by block as ggml's reference
 * quantizers do. The file is {@linkplain AtomicFile atomic}: nothing appears under the target name until
 * {@link #commit()} has checked that every tensor is complete.
 *
 * <pre>{@code
 * GgufLayout layout = GgufLayout.plan(out, Map.of("general.architecture", GgufValue.string("llama")),
 *         List.of(new GgufLayout.Entry("w", GgufTensorType.Q8_0, Shape.of(2, 32))));
 * try (GgufWriter w = GgufWriter.create(out, layout, false)) {
 *     w.writeFloats("w", values);
 *     w.commit();
 * }
 * }</pre>
 */
public final class GgufWriter implements AutoCloseable {
    /** Blocks converted per write: large enough to amortise the system call, small enough for cache. */
    static final int CHUNK_ELEMENTS = 1 << 16;
    private static final long MAX_COPY_BYTES = 64L << 20;

    private final AtomicFile file;
    private final GgufLayout layout;
    private final Map<String, Integer> index = new HashMap<>();
    private final AtomicLongArray written;
    private final AtomicIntegerArray opened;

    private GgufWriter(AtomicFile file, GgufLayout layout) {
        this.file = file;
        this.layout = layout;
        List<GgufTensorInfo> ts = layout.tensors();
        for (int i = 0; i < ts.size(); i++) {
            index.put(ts.get(i).name(), i);
        }
        this.written = new AtomicLongArray(ts.size());
        this.opened = new AtomicIntegerArray(ts.size());
    }

    /**
     * Claims {@code target} and writes the header to a temp file beside it.
     *
     * @param overwrite replace an existing target; otherwise fail if it exists
     */
    public static GgufWriter create(Path target, GgufLayout layout, boolean overwrite) {
        return start(AtomicFile.create(OutputClaim.file(target, overwrite, List.of(), layout.fileSize()),
                layout.fileSize()), layout);
    }

    /** Writes the header of an output claimed earlier (see {@link OutputClaim}); the writer owns the claim. */
    public static GgufWriter create(OutputClaim claim, GgufLayout layout) {
        return start(AtomicFile.create(claim, layout.fileSize()), layout);
    }

    private static GgufWriter start(AtomicFile file, GgufLayout layout) {
        try {
            file.writeAt(ByteBuffer.wrap(layout.header()), 0);
            return new GgufWriter(file, layout);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** The plan. */
    public GgufLayout layout() {
        return layout;
    }

    /**
     * A sink for one tensor, to be filled front to back; each tensor may be opened once.
     *
     * @throws GgufException ({@link GgufError#TENSOR_NOT_FOUND}) for a name not in the plan
     */
    public TensorSink sink(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new GgufException(file.target(), GgufError.TENSOR_NOT_FOUND, name,
                    "not among the tensors this file was planned with");
        }
        if (!opened.compareAndSet(i, 0, 1)) {
            throw new IllegalStateException(file.target() + ": tensor " + JsonStrings.quote(name) + " was already written");
        }
        return new TensorSink(this, i, layout.tensors().get(i));
    }

    /** Writes a whole tensor from float32 values. */
    public void writeFloats(String name, float[] values) {
        try (TensorSink sink = sink(name)) {
            sink.writeFloats(values, 0, values.length);
        }
    }

    /** Writes a whole tensor: a raw copy where its dtype is the planned type, else through float32. */
    public void write(String name, Tensor tensor) {
        try (TensorSink sink = sink(name)) {
            sink.writeFrom(tensor);
        }
    }

    /**
     * Checks every tensor is complete, flushes and publishes the file.
     *
     * @throws IllegalStateException naming the first incomplete tensor
     */
    public Path commit() {
        List<GgufTensorInfo> ts = layout.tensors();
        for (int i = 0; i < ts.size(); i++) {
            if (written.get(i) != ts.get(i).elementCount()) {
                throw new IllegalStateException(file.target() + ": tensor " + JsonStrings.quote(ts.get(i).name()) + " has "
                        + written.get(i) + " of its " + ts.get(i).elementCount() + " elements written");
            }
        }
        // Padding after the last tensor is part of the file (ggml and gguf-py write it): extend to the planned size.
        file.extendTo(layout.fileSize());
        return file.commit();
    }

    /** Abandons the file unless committed. */
    @Override
    public void close() {
        file.close();
    }

    /**
     * Streams one tensor's values into the file, front to back. A quantized type keeps the values of an incomplete
     * block until the rest arrive. Not thread-safe itself; use one sink per thread.
     */
    public static final class TensorSink implements AutoCloseable {
        private final GgufWriter writer;
        private final int slot;
        private final GgufTensorInfo info;
        private final BlockCodec blocks;
        private final FloatCodec floats;
        private final int elementBytes;
        private final int blockElements;
        private final float[] pending;
        private int pendingCount;
        private byte[] scratch;
        private long elements;
        private long bytePosition;

        private TensorSink(GgufWriter writer, int slot, GgufTensorInfo info) {
            this.writer = writer;
            this.slot = slot;
            this.info = info;
            GgufTensorType type = info.type();
            this.blocks = type.isQuantized() ? BlockCodec.of(type) : null;
            this.floats = type.isQuantized() ? null : FloatCodec.of(dtypeOf(type));
            this.elementBytes = type.isQuantized() ? 0 : dtypeOf(type).byteSize();
            this.blockElements = type.blockElements();
            this.pending = type.isQuantized() ? new float[blockElements] : null;
        }

        private static DType dtypeOf(GgufTensorType type) {
            return switch (type) {
                case F32 -> DType.F32;
                case F16 -> DType.F16;
                case BF16 -> DType.BF16;
                default -> throw new IllegalArgumentException(type + " is not a plain float type");
            };
        }

        public GgufTensorInfo info() {
            return info;
        }

        /** Elements not yet given. */
        public long remainingElements() {
            return info.elementCount() - elements;
        }

        /**
         * Appends float32 values in row-major order.
         *
         * @throws GgufException ({@link GgufError#UNREPRESENTABLE}) for a quantized block holding NaN or infinity
         *                       or one whose scale float16 cannot hold, naming the element
         */
        public void writeFloats(float[] src, int from, int count) {
            if (count > remainingElements()) {
                throw new IllegalArgumentException(info.name() + ": writing " + count + " values at element "
                        + elements + " overruns its " + info.elementCount());
            }
            if (blocks == null) {
                writePlain(src, from, count);
            } else {
                writeBlocks(src, from, count);
            }
            elements += count;
            writer.written.addAndGet(slot, count);
        }

        private void writePlain(float[] src, int from, int count) {
            int done = 0;
            while (done < count) {
                int n = Math.min(CHUNK_ELEMENTS, count - done);
                byte[] buf = scratch(n * elementBytes);
                floats.encode(src, from + done, n, MemorySegment.ofArray(buf), 0);
                append(ByteBuffer.wrap(buf, 0, n * elementBytes));
                done += n;
            }
        }

        private void writeBlocks(float[] src, int from, int count) {
            int done = 0;
            if (pendingCount > 0) {
                int n = Math.min(blockElements - pendingCount, count);
                System.arraycopy(src, from, pending, pendingCount, n);
                long firstElement = elements - pendingCount;
                pendingCount += n;
                done = n;
                if (pendingCount == blockElements) {
                    quantize(pending, 0, 1, firstElement);
                    pendingCount = 0;
                }
            }
            while (count - done >= blockElements) {
                int n = Math.min(CHUNK_ELEMENTS / blockElements, (count - done) / blockElements);
                quantize(src, from + done, n, elements + done);
                done += n * blockElements;
            }
            if (done < count) {
                System.arraycopy(src, from + done, pending, 0, count - done);
                pendingCount = count - done;
            }
        }

        /** @param firstElement the tensor element {@code src[from]} is, for messages */
        private void quantize(float[] src, int from, int n, long firstElement) {
            byte[] buf = scratch(n * blocks.type().blockBytes());
            try {
                blocks.quantize(src, from, n, buf, 0);
            } catch (UnrepresentableBlockException e) {
                throw new GgufException(writer.file.target(), GgufError.UNREPRESENTABLE, info.name(),
                        "element " + (firstElement + e.element() - from) + " (row-major): " + e.getMessage()
                                + "; write this tensor as F16 or F32");
            }
            append(ByteBuffer.wrap(buf, 0, n * blocks.type().blockBytes()));
        }

        private byte[] scratch(int bytes) {
            if (scratch == null || scratch.length < bytes) {
                scratch = new byte[Math.max(bytes, 1 << 12)];
            }
            return scratch;
        }

        /** Whether {@link #writeBytes} takes bytes of this dtype: the planned type is F32, F16 or BF16 and the same. */
        public boolean acceptsRaw(DType dtype) {
            return floats != null && floats.dtype() == dtype;
        }

        /**
         * Appends raw little-endian elements of the planned type (F32, F16 or BF16 only), copied bit for bit.
         *
         * @throws IllegalStateException for a quantized type, or while values of an incomplete block are pending
         */
        public void writeBytes(MemorySegment bytes) {
            if (floats == null) {
                throw new IllegalStateException(info.name() + ": raw bytes cannot be written to a " + info.type()
                        + " tensor; give float values");
            }
            long count = bytes.byteSize() / elementBytes;
            if (bytes.byteSize() % elementBytes != 0 || count > remainingElements()) {
                throw new IllegalArgumentException(info.name() + ": " + bytes.byteSize() + " bytes at element "
                        + elements + " are not whole elements within its " + info.elementCount());
            }
            for (long off = 0; off < bytes.byteSize(); off += MAX_COPY_BYTES) {
                append(bytes.asSlice(off, Math.min(MAX_COPY_BYTES, bytes.byteSize() - off)).asByteBuffer());
            }
            elements += count;
            writer.written.addAndGet(slot, count);
        }

        /** Appends a whole tensor: raw bytes when its dtype is the planned type, else through float32. */
        public void writeFrom(Tensor t) {
            if (t.elementCount() != remainingElements()) {
                throw new IllegalArgumentException(info.name() + ": " + t.elementCount() + " elements given for "
                        + remainingElements() + " remaining of shape " + info.shape());
            }
            if (acceptsRaw(t.dtype())) {
                ReleaseBehind.bytes(t, this::writeBytes);
                return;
            }
            float[] window = new float[(int) Math.min(CHUNK_ELEMENTS, Math.max(1, t.elementCount()))];
            for (long first = 0; first < t.elementCount(); first += window.length) {
                int n = (int) Math.min(window.length, t.elementCount() - first);
                t.readFloats(first, window, 0, n);
                writeFloats(window, 0, n);
            }
        }

        private void append(ByteBuffer buf) {
            int n = buf.remaining();
            writer.file.writeAt(buf, writer.layout.dataStart() + info.offset() + bytePosition);
            bytePosition += n;
        }

        /** Releases nothing but the buffers; completeness is checked by {@link GgufWriter#commit()}. */
        @Override
        public void close() {
            scratch = null;
        }
    }
}
