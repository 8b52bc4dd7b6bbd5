package dev.graft.formats.safetensors;

import dev.graft.formats.dtype.FloatCodec;
import dev.graft.formats.io.AtomicFile;
import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.io.OutputClaim;
import dev.graft.formats.tensor.ReleaseBehind;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Writes a safetensors file tensor by tensor with constant memory.
 *
 * <p>The header is computed from the specs before any data is written ({@link SafetensorsLayout}), so each
 * tensor's place is known up front: tensors may be written in any order, and from several threads at once, each
 * through its own {@link TensorSink}. The file is {@linkplain AtomicFile atomic}: nothing appears under the target
 * name until {@link #commit()} has checked that every byte was written and flushed it to disk.
 *
 * <pre>{@code
 * List<TensorSpec> specs = List.of(new TensorSpec("w", DType.BF16, Shape.of(2, 3)));
 * try (SafetensorsWriter w = SafetensorsWriter.create(out, specs, SafetensorsWriter.PT_METADATA, false)) {
 *     w.writeFloats("w", new float[] {1, 2, 3, 4, 5, 6});
 *     w.commit();
 * }
 * }</pre>
 */
public final class SafetensorsWriter implements AutoCloseable {
    /** The metadata transformers and PEFT write, and that transformers' loader expects. */
    public static final Map<String, String> PT_METADATA = Map.of("format", "pt");

    /** Elements converted per write call: large enough to amortise the system call, small enough for cache. */
    static final int CHUNK_ELEMENTS = 1 << 18;
    private static final long MAX_COPY_BYTES = 64L << 20;

    private final AtomicFile file;
    private final SafetensorsLayout layout;
    private final Map<String, Integer> index = new HashMap<>();
    private final AtomicLongArray written;
    private final AtomicIntegerArray opened;

    private SafetensorsWriter(AtomicFile file, SafetensorsLayout layout) {
        this.file = file;
        this.layout = layout;
        List<TensorInfo> ts = layout.tensors();
        for (int i = 0; i < ts.size(); i++) {
            index.put(ts.get(i).name(), i);
        }
        this.written = new AtomicLongArray(ts.size());
        this.opened = new AtomicIntegerArray(ts.size());
    }

    /**
     * Plans the file and writes its header to a temp file beside {@code target}.
     *
     * @param metadata  the {@code __metadata__} map (use {@link #PT_METADATA}), or null for none
     * @param overwrite replace an existing target; otherwise fail if it exists
     */
    public static SafetensorsWriter create(Path target, Collection<TensorSpec> specs, Map<String, String> metadata,
                                           boolean overwrite) {
        SafetensorsLayout layout = SafetensorsLayout.plan(target, specs, metadata);
        return start(AtomicFile.create(OutputClaim.file(target, overwrite, List.of(), layout.fileSize()),
                layout.fileSize()), layout);
    }

    /**
     * Plans the file of an output claimed earlier (see {@link OutputClaim}) and writes its header; the writer owns
     * the claim from here on.
     */
    public static SafetensorsWriter create(OutputClaim claim, Collection<TensorSpec> specs, Map<String, String> metadata) {
        SafetensorsLayout layout;
        try {
            layout = SafetensorsLayout.plan(claim.shown(), specs, metadata);
        } catch (RuntimeException e) {
            claim.close();
            throw e;
        }
        return start(AtomicFile.create(claim, layout.fileSize()), layout);
    }

    private static SafetensorsWriter start(AtomicFile file, SafetensorsLayout layout) {
        try {
            file.writeAt(ByteBuffer.wrap(layout.prefixAndHeader()), 0);
            return new SafetensorsWriter(file, layout);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Tensors in file order with their offsets. */
    public List<TensorInfo> layout() {
        return layout.tensors();
    }

    /** Total file size once complete. */
    public long fileSize() {
        return layout.fileSize();
    }

    /**
     * A sink for one tensor's data, to be filled front to back. Each tensor may be opened once.
     *
     * @throws SafetensorsException ({@link SafetensorsError#TENSOR_NOT_FOUND}) for a name not in the specs
     */
    public TensorSink sink(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new SafetensorsException(file.target(), SafetensorsError.TENSOR_NOT_FOUND, name,
                    "not among the tensors this file was planned with");
        }
        if (!opened.compareAndSet(i, 0, 1)) {
            throw new IllegalStateException(file.target() + ": tensor \"" + name + "\" was already written");
        }
        return new TensorSink(this, i, layout.tensors().get(i));
    }

    /** Writes a whole tensor, converting through float32 when its dtype differs from the planned one. */
    public void write(Tensor tensor) {
        try (TensorSink sink = sink(tensor.name())) {
            sink.writeFrom(tensor);
        }
    }

    /** Writes a whole tensor from float32 values, rounded to the planned dtype. */
    public void writeFloats(String name, float[] values) {
        try (TensorSink sink = sink(name)) {
            sink.writeFloats(values, 0, values.length);
        }
    }

    /**
     * Checks every tensor is complete, flushes and publishes the file.
     *
     * @throws IllegalStateException naming the first incomplete tensor
     */
    public Path commit() {
        List<TensorInfo> ts = layout.tensors();
        for (int i = 0; i < ts.size(); i++) {
            if (written.get(i) != ts.get(i).byteSize()) {
                throw new IllegalStateException(file.target() + ": tensor \"" + ts.get(i).name() + "\" has "
                        + written.get(i) + " of its " + ts.get(i).byteSize() + " bytes written");
            }
        }
        return file.commit();
    }

    /** Abandons the file unless committed. */
    @Override
    public void close() {
        file.close();
    }

    void recordWritten(int i, long bytes) {
        written.addAndGet(i, bytes);
    }

    void writeAt(ByteBuffer buf, long dataOffset) {
        file.writeAt(buf, layout.dataStart() + dataOffset);
    }

    /**
     * Streams one tensor's data into the file, front to back, as raw bytes or float32 windows.
     * Not thread-safe itself; use one sink per thread.
     */
    public static final class TensorSink implements dev.graft.formats.tensor.TensorDataSink {
        private final SafetensorsWriter writer;
        private final int slot;
        private final TensorInfo info;
        private final Arena arena = Arena.ofConfined();
        private MemorySegment scratch;
        private long position;

        private TensorSink(SafetensorsWriter writer, int slot, TensorInfo info) {
            this.writer = writer;
            this.slot = slot;
            this.info = info;
        }

        public TensorInfo info() {
            return info;
        }

        /** Elements not yet written. */
        public long remainingElements() {
            return (info.byteSize() - position) * 8 / info.dtype().bits();
        }

        /** Appends float32 values, rounded to the tensor's dtype as torch's {@code .to(dtype)} rounds. */
        public void writeFloats(float[] src, int from, int count) {
            long bytes = (long) count * info.dtype().byteSize();
            checkRoom(bytes);
            FloatCodec codec = FloatCodec.of(info.dtype());
            int elemSize = info.dtype().byteSize();
            if (scratch == null) {
                scratch = arena.allocate((long) CHUNK_ELEMENTS * 8, 64);
            }
            int done = 0;
            while (done < count) {
                int n = Math.min(CHUNK_ELEMENTS, count - done);
                codec.encode(src, from + done, n, scratch, 0);
                append(scratch.asSlice(0, (long) n * elemSize).asByteBuffer());
                done += n;
            }
        }

        /** Appends raw little-endian bytes of the tensor's dtype. */
        public void writeBytes(MemorySegment bytes) {
            checkRoom(bytes.byteSize());
            for (long off = 0; off < bytes.byteSize(); off += MAX_COPY_BYTES) {
                long n = Math.min(MAX_COPY_BYTES, bytes.byteSize() - off);
                append(bytes.asSlice(off, n).asByteBuffer());
            }
        }

        /** Appends a whole tensor of the same shape: raw copy for the same dtype, float32 conversion otherwise. */
        public void writeFrom(Tensor t) {
            if (!t.shape().equals(info.shape())) {
                throw new IllegalArgumentException(info.name() + ": shape " + t.shape() + " given for "
                        + info.shape());
            }
            if (t.dtype() == info.dtype()) {
                // A large mapped tensor's pages leave resident memory behind the copy (ReleaseBehind).
                ReleaseBehind.bytes(t, this::writeBytes);
                return;
            }
            writeThroughFloats(t, CHUNK_ELEMENTS);
        }

        private void checkRoom(long bytes) {
            if (bytes > info.byteSize() - position) {
                throw new IllegalArgumentException(info.name() + ": writing " + bytes + " bytes at byte " + position
                        + " overruns its " + info.byteSize() + " bytes");
            }
        }

        private void append(ByteBuffer buf) {
            int n = buf.remaining();
            writer.writeAt(buf, info.begin() + position);
            position += n;
            writer.recordWritten(slot, n);
        }

        /** Releases the conversion buffer. Completeness is checked by {@link SafetensorsWriter#commit()}. */
        @Override
        public void close() {
            arena.close();
        }
    }
}
