package dev.graft.core.exec;

import dev.graft.core.kernel.ChunkVisitor;
import dev.graft.core.kernel.TensorInputs;
import dev.graft.core.plan.TaskInput;
import dev.graft.core.plan.TensorTask;
import dev.graft.core.vocab.EmbeddingRows;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.dtype.FloatCodec;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.FiniteScan;
import dev.graft.formats.tensor.NonFiniteValuesException;
import dev.graft.formats.tensor.ReleaseBehind;
import dev.graft.formats.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A task's inputs read from their models: each input tensor is mapped on its own in the task's arena (so its pages
 * leave resident memory when the task ends) and read in row-aligned float32 chunks; a large one also drops the
 * pages each pass has read as the pass goes ({@link ReleaseBehind}), unless it is read through rebuilt embedding
 * rows.
 *
 * <p>An input stored wider than the read shape (an embedding with more vocabulary rows or columns) is read as its
 * top-left submatrix, row by row; under a new vocabulary an embedding-like input is read through its
 * {@link EmbeddingRows} instead, each row its own or its fallback. With a compute dtype, every value is rounded to it as it is read, as mergekit
 * casts inputs to its {@code dtype} at load.
 */
final class MappedTensorInputs implements TensorInputs, AutoCloseable {
    /**
     * Elements per input per chunk: 128 KiB of float32, so that a worker's chunks of four inputs and the merged one
     * fit a 1 MiB L2 cache between the decode, the kernel and the encode (with the 1 MiB chunks this replaced, which
     * do not, task arithmetic on three 748 M-parameter fine-tunes took 9 % more CPU time).
     */
    static final int CHUNK_TARGET = 1 << 15;
    /** A row longer than this cannot be held in one chunk. */
    private static final long MAX_ROW = 1L << 26;

    private final TensorTask task;
    private final Tensor[] tensors;
    private final Shape shape;
    private final long rowLength;
    private final int chunkRows;
    private final FloatCodec rounding;
    private final InputCache pool;
    private final List<ModelSource> sources;
    private final long[] nonFinite;
    /** Per input, or null for inputs read through {@link #rebuilt}, whose rows are read in any order. */
    private final ReleaseBehind[] releases;
    /** For an embedding under a new vocabulary: the rebuilt rows; null when inputs are read as stored. */
    private final EmbeddingRows.Reader rebuilt;
    private float[][] cache;
    private boolean cached;
    private boolean scanned;
    /** After {@link #lastScan}. */
    private boolean done;

    /**
     * @param pool heap for keeping decoded inputs between passes, or null to always read from the files
     */
    MappedTensorInputs(TensorTask task, List<ModelSource> sources, Arena arena, InputCache pool) {
        this.pool = pool;
        this.task = task;
        this.sources = sources;
        this.shape = task.readShape();
        this.tensors = new Tensor[task.inputs().size()];
        this.nonFinite = new long[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            TaskInput in = task.inputs().get(i);
            tensors[i] = sources.get(in.model()).tensor(in.spec().name(), arena);
        }
        this.rebuilt = task.rows().map(r -> r.reader(tensors)).orElse(null);
        this.releases = new ReleaseBehind[tensors.length];
        for (int i = 0; i < tensors.length && rebuilt == null; i++) {
            releases[i] = new ReleaseBehind(tensors[i]);
        }
        this.rowLength = shape.rank() == 0 ? 1 : shape.dim(shape.rank() - 1);
        if (rowLength > MAX_ROW) {
            throw new IllegalStateException(task.name() + ": rows of " + rowLength + " elements exceed the "
                    + MAX_ROW + "-element chunk limit");
        }
        this.chunkRows = (int) Math.max(1, CHUNK_TARGET / Math.max(1, rowLength));
        DType compute = task.computeDtype().orElse(DType.F32);
        this.rounding = compute == DType.F32 || compute == DType.F64 ? null : FloatCodec.of(compute);
    }

    @Override
    public int count() {
        return tensors.length;
    }

    @Override
    public int baseIndex() {
        return task.baseInput();
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public long rowLength() {
        return rowLength;
    }

    @Override
    public int maxChunk() {
        return (int) Math.min(shape.elementCount(), (long) chunkRows * rowLength);
    }

    /**
     * The first scan decodes from the files; when the budget allows, it also keeps the decoded values, and later
     * scans copy from them instead of decoding again.
     */
    @Override
    public void scan(ChunkVisitor visitor) {
        scan(visitor, true);
    }

    /** A last scan keeps nothing: what no later pass reads is decoded into chunk buffers that stay in cache. */
    @Override
    public void lastScan(ChunkVisitor visitor) {
        scan(visitor, false);
        done = true;
    }

    private void scan(ChunkVisitor visitor, boolean mayKeep) {
        if (done) {
            // A kernel bug, not a user's: its final pass must be its last (see TensorInputs.lastScan).
            throw new IllegalStateException("tensor \"" + task.name() + "\": scanned again after its last scan");
        }
        long total = shape.elementCount();
        if (total == 0) {
            return;
        }
        int capacity = maxChunk();
        if (cached) {
            // Held in memory: hand the arrays over in place, no copy.
            for (long first = 0; first < total; first += capacity) {
                int n = (int) Math.min(capacity, total - first);
                visitor.visit(first, n, cache, (int) first);
            }
            return;
        }
        boolean keep = mayKeep && cache == null && reserveCache(total);
        float[][] buffers = keep ? cache : new float[tensors.length][capacity];
        MemorySegment scratch = rounding == null ? null
                : MemorySegment.ofArray(new byte[capacity * rounding.dtype().byteSize()]);
        for (ReleaseBehind r : releases) {
            if (r != null) {
                r.restart();
            }
        }
        for (long first = 0; first < total; first += capacity) {
            int n = (int) Math.min(capacity, total - first);
            int at = keep ? (int) first : 0; // decode straight into the cache when keeping
            for (int i = 0; i < tensors.length; i++) {
                if (scanned) {
                    readInput(i, first, buffers[i], at, n);
                } else {
                    nonFinite[i] += readInputCountingNonFinite(i, first, buffers[i], at, n);
                }
                if (rounding != null) {
                    rounding.encode(buffers[i], at, n, scratch, 0);
                    rounding.decode(scratch, 0, buffers[i], at, n);
                }
            }
            visitor.visit(first, n, buffers, at);
            for (int i = 0; i < tensors.length; i++) {
                if (releases[i] != null) {
                    // Chunks are whole rows: stored elements up to the same row have been read.
                    releases[i].readUpTo((first + n) / rowLength * storedColumns(tensors[i]));
                }
            }
        }
        cached = keep;
        scanned = true;
    }

    /**
     * After the first scan: whether every value read was finite.
     *
     * @param refuse throw for the first input with non-finite values instead of answering false
     * @throws NonFiniteValuesException naming the model, the tensor and the count, when refusing
     */
    boolean allFinite(boolean refuse) {
        for (int i = 0; i < tensors.length; i++) {
            if (nonFinite[i] > 0) {
                if (refuse) {
                    TaskInput in = task.inputs().get(i);
                    throw NonFiniteValuesException.input(sources.get(in.model()).path(), in.spec().name(),
                            nonFinite[i]);
                }
                return false;
            }
        }
        return true;
    }

    private boolean reserveCache(long total) {
        if (pool == null) {
            return false;
        }
        cache = pool.acquire(tensors.length, total);
        return cache != null;
    }

    /** Hands the cache's arrays back to the pool. */
    @Override
    public void close() {
        if (cache != null) {
            pool.release(cache);
            cache = null;
        }
        cached = false;
    }

    /**
     * Elements [first, first+n) of input {@code i} as the task reads it (rebuilt for a new vocabulary, else its
     * stored values), whole rows, not rounded to the compute dtype.
     */
    void readInput(int i, long first, float[] dst, int at, int n) {
        if (rebuilt != null) {
            rebuilt.read(i, first, dst, at, n);
        } else {
            readRows(tensors[i], rowLength, first, dst, at, n);
        }
    }

    /**
     * As {@link #readInput}, answering how many of the values read are NaN or infinite: counted as the stored values
     * are decoded, so that the first scan touches them once.
     */
    private int readInputCountingNonFinite(int i, long first, float[] dst, int at, int n) {
        if (rebuilt != null) {
            rebuilt.read(i, first, dst, at, n);
            return FiniteScan.countNonFinite(dst, at, n);
        }
        Tensor t = tensors[i];
        if (storedColumns(t) == rowLength) {
            return t.readFloatsCountingNonFinite(first, dst, at, n);
        }
        readRows(t, rowLength, first, dst, at, n);
        return FiniteScan.countNonFinite(dst, at, n);
    }

    /**
     * Reads elements [first, first+n) of a tensor viewed with rows of {@code rowLength} into {@code dst[at…]}; a
     * tensor stored wider (an embedding with more columns) is read as its left columns, row by row.
     */
    static void readRows(Tensor t, long rowLength, long first, float[] dst, int at, int n) {
        long storedCols = storedColumns(t);
        if (storedCols == rowLength) {
            t.readFloats(first, dst, at, n);
            return;
        }
        long row = first / rowLength;
        for (int done = 0; done < n; done += (int) rowLength, row++) {
            t.readFloats(row * storedCols, dst, at + done, (int) rowLength);
        }
    }

    private static long storedColumns(Tensor t) {
        return t.shape().rank() == 0 ? 1 : t.shape().dim(t.shape().rank() - 1);
    }
}
