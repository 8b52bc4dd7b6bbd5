package dev.graft.formats.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Lets the pages of a file-mapped tensor that a pass has read, front to back, leave the process's resident memory as
 * the pass goes on ({@link MemorySegment#unload()}, {@code madvise(MADV_DONTNEED)}): they stay in the page cache,
 * and a later pass that touches them maps them again from there. Without it, every page a pass touched stays
 * resident until the tensor's mapping is closed, so a process reading vocabulary-sized tensors of several models at
 * once had as many bytes resident as those tensors hold: 4.4 GB for a TIES merge of a 1.1 B-parameter model with a
 * 128,256-row embedding and output head (docs/benchmarks.md, "Tenth pass"). Tensors under {@value #MIN_BYTES} bytes
 * are left alone (their mapping closes with their task, and a second pass finds them mapped), as are tensors in
 * memory.
 *
 * <p>Not thread-safe: one per tensor and reader.
 */
public final class ReleaseBehind {
    /** Tensors of this many bytes or more are released behind a pass. */
    public static final long MIN_BYTES = 64L << 20;
    /** Bytes released at a time. */
    static final long STEP_BYTES = 16L << 20;

    private final MemorySegment data;
    /** Bits per element: some types (F4, F6) pack elements across bytes. */
    private final long elementBits;
    private final boolean active;
    private long released;

    /** For a pass over {@code tensor}; does nothing unless the tensor is file-mapped and of {@link #MIN_BYTES} or more. */
    public ReleaseBehind(Tensor tensor) {
        this.data = tensor.data();
        this.elementBits = tensor.dtype().bits();
        this.active = data.isMapped() && data.byteSize() >= MIN_BYTES;
    }

    /** Whether this tensor's pages are released behind a pass. */
    public boolean active() {
        return active;
    }

    /** The pass has read every stored element before {@code element}; releases what is behind it, a step at a time. */
    public void readUpTo(long element) {
        if (!active) {
            return;
        }
        releaseBefore(Math.min(element * elementBits / 8, data.byteSize()));
    }

    /** Releases, a step at a time, the bytes before {@code end} that the pass has read. */
    private void releaseBefore(long end) {
        if (end - released >= STEP_BYTES) {
            data.asSlice(released, end - released).unload();
            released = end;
        }
    }

    /** A new pass begins at element 0. */
    public void restart() {
        released = 0;
    }

    /** Receives one slice of a tensor's bytes. */
    @FunctionalInterface
    public interface ByteSteps<E extends Exception> {
        void accept(MemorySegment slice) throws E;
    }

    /**
     * Hands over {@code tensor}'s bytes front to back in slices of {@value #STEP_BYTES} bytes (the last shorter),
     * each released behind the pass once handed over (for a large mapped tensor).
     */
    public static <E extends Exception> void bytes(Tensor tensor, ByteSteps<E> steps) throws E {
        MemorySegment data = tensor.data();
        ReleaseBehind read = new ReleaseBehind(tensor);
        for (long off = 0; off < data.byteSize(); off += STEP_BYTES) {
            long end = Math.min(off + STEP_BYTES, data.byteSize());
            steps.accept(data.asSlice(off, end - off));
            if (read.active) {
                read.releaseBefore(end);
            }
        }
    }
}
