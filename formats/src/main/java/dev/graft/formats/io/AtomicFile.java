package dev.graft.formats.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * An output file that appears under its final name complete or not at all.
 *
 * <p>Data goes to a hidden temp file in the target's folder (same file system, so the final rename is atomic);
 * {@link #commit()} flushes it to disk, then publishes it. Without {@code overwrite}, publishing uses a hard link,
 * which fails rather than replace a file that appeared meanwhile. Closing without committing deletes the temp
 * file, so a failed or interrupted write leaves nothing behind under the final name. Creating one claims the
 * target ({@link OutputClaim}): it is never an input, and never written by two processes at once.
 *
 * <p>A file created with a planned size of {@value #DIRECT_MIN_BYTES} bytes or more is written past the page cache
 * where the file system allows it ({@link DirectWriter}): {@link #writeAt} copies the bytes into aligned buffers that
 * a background thread writes to disk as they fill. Otherwise a large file is flushed behind the writers: each time
 * another {@value #FLUSH_BYTES} bytes have been written, a background thread asks the system to write what is there
 * to disk while the writers go on, so that {@link #commit()} waits only for the last of it. Either way publishing
 * the file waits for every write, and one that failed fails the commit.
 */
public final class AtomicFile implements AutoCloseable {
    /** Bytes written between two background flushes: 128 MiB. */
    static final long FLUSH_BYTES = 128L << 20;
    /** Planned size from which a file is written past the page cache: 64 MiB. */
    static final long DIRECT_MIN_BYTES = 64L << 20;

    private final OutputClaim claim;
    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private final FileChannel channel;
    /** Writes past the page cache, or null for writes through {@link #channel}. */
    private final DirectWriter direct;
    private final long flushBytes;
    /** The length asked for by {@link #extendTo}. */
    private long minLength;
    private final AtomicLong unflushed = new AtomicLong();
    /** Background flushes started, for tests. */
    private final AtomicInteger flushes = new AtomicInteger();
    /** The flush running in the background, or null; guarded by this. */
    private Thread flusher;
    /** The first background flush's failure, reported by {@link #commit()}; guarded by this. */
    private IOException flushFailure;
    private boolean done;

    private AtomicFile(OutputClaim claim, Path temp, FileChannel channel, DirectWriter direct, long flushBytes) {
        this.direct = direct;
        this.flushBytes = flushBytes;
        this.claim = claim;
        this.target = claim.target();
        this.temp = temp;
        this.overwrite = claim.overwrite();
        this.channel = channel;
    }

    /**
     * Starts writing {@code target}, claiming it first ({@link OutputClaim#file}: not an open input, not being
     * written by another process).
     *
     * @param overwrite replace an existing file; otherwise fail now (and again at commit) if it exists
     * @throws OutputExistsException when the target exists and {@code overwrite} is false
     * @throws UnsafeOutputException when writing it could lose data
     * @throws FileAccessException   when the temp file cannot be created
     */
    public static AtomicFile create(Path target, boolean overwrite) {
        return create(OutputClaim.file(target, overwrite, List.of(), 0));
    }

    /**
     * Starts writing a claimed file; the new writer owns the claim and releases it once committed or abandoned.
     *
     * @throws FileAccessException when the temp file cannot be created
     */
    public static AtomicFile create(OutputClaim claim) {
        return create(claim, 0, FLUSH_BYTES);
    }

    /**
     * Starts writing a claimed file of about {@code plannedBytes} bytes, to be written through {@link #writeAt}; a
     * large one is written past the page cache where the file system allows it.
     *
     * @throws FileAccessException when the temp file cannot be created
     */
    public static AtomicFile create(OutputClaim claim, long plannedBytes) {
        return create(claim, plannedBytes, FLUSH_BYTES);
    }

    /** {@link #create(OutputClaim)} flushing behind every {@code flushBytes} bytes (tests use small values). */
    static AtomicFile flushingEvery(OutputClaim claim, long flushBytes) {
        return create(claim, 0, flushBytes);
    }

    private static AtomicFile create(OutputClaim claim, long plannedBytes, long flushBytes) {
        return create(claim, flushBytes, plannedBytes >= DIRECT_MIN_BYTES
                ? temp -> DirectWriter.open(temp.path(), temp.channel(), plannedBytes) : temp -> null);
    }

    /** {@link #create(OutputClaim, long)} with the direct writer {@code direct} makes (tests). */
    static AtomicFile create(OutputClaim claim, long flushBytes, Function<Temp, DirectWriter> direct) {
        if (claim.isFolder()) {
            claim.close();
            throw new IllegalArgumentException(claim.target() + " was claimed as a folder, not a file");
        }
        Path abs = claim.target();
        Path temp = TempName.next(abs);
        try {
            FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            PendingOutputs.register(temp);
            return new AtomicFile(claim, temp, ch, direct.apply(new Temp(temp, ch)), flushBytes);
        } catch (IOException e) {
            claim.close();
            throw new FileAccessException(abs.getParent(), "cannot create a file in this folder", e);
        }
    }

    /** Writes a whole small file (JSON, text) atomically. */
    public static void writeString(Path target, String content, boolean overwrite) {
        try (AtomicFile f = create(target, overwrite)) {
            ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            try {
                while (buf.hasRemaining()) {
                    f.channel.write(buf);
                }
            } catch (IOException e) {
                throw new FileAccessException(target, "cannot write file", e);
            }
            f.commit();
        }
    }

    /** A temp file just created, open for writing. */
    record Temp(Path path, FileChannel channel) {
    }

    /**
     * The channel to write to (positional writes are fine and thread-safe).
     *
     * @throws IllegalStateException for a file written past the page cache: write it through {@link #writeAt}
     */
    public FileChannel channel() {
        if (direct != null) {
            throw new IllegalStateException(target + " is written through writeAt only");
        }
        return channel;
    }

    /** Whether this file is written past the page cache (see {@link DirectWriter}). */
    boolean writesDirect() {
        return direct != null;
    }

    /** Makes the committed file at least {@code length} bytes long, zeros after the last byte written. */
    public synchronized void extendTo(long length) {
        minLength = Math.max(minLength, length);
    }

    /**
     * Writes all of {@code buf} at byte {@code position} (positional writes from several threads are fine).
     *
     * @throws FileAccessException when the write fails (a full disk)
     */
    public void writeAt(java.nio.ByteBuffer buf, long position) {
        long bytes = buf.remaining();
        if (direct != null) {
            try {
                direct.write(buf, position);
            } catch (IOException e) {
                throw new FileAccessException(target, "cannot write", e);
            }
            return;
        }
        try {
            writeFully(channel, buf, position);
        } catch (IOException e) {
            throw new FileAccessException(target, "cannot write", e);
        }
        if (unflushed.addAndGet(bytes) >= flushBytes) {
            flushBehind();
        }
    }

    /** Writes all of {@code bytes} at {@code position}: a positional write may write fewer. */
    static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long pos = position;
        while (bytes.hasRemaining()) {
            pos += channel.write(bytes, pos);
        }
    }

    /**
     * Starts writing the file's pages to disk on a background thread, unless one is already at it: without this,
     * the whole file would wait in memory for the flush in {@link #commit()}, the writers idle meanwhile.
     */
    private synchronized void flushBehind() {
        if (flusher != null || done) {
            return;
        }
        unflushed.set(0);
        flushes.incrementAndGet();
        flusher = Thread.ofPlatform().daemon().name("graft-flush").start(() -> {
            try {
                channel.force(false);
            } catch (IOException e) {
                synchronized (this) {
                    if (flushFailure == null) {
                        flushFailure = e;
                    }
                }
            } finally {
                synchronized (this) {
                    flusher = null;
                    notifyAll();
                }
            }
        });
    }

    /** How many background flushes this file has started. */
    int flushesStarted() {
        return flushes.get();
    }

    /**
     * Waits for the background flush, if one runs.
     *
     * @throws IOException the first background flush's failure: the system reports a failed write-back once,
     *                     so the final flush may not see it again
     */
    private synchronized void awaitFlushes() throws IOException {
        boolean interrupted = false;
        while (flusher != null) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (flushFailure != null) {
            throw flushFailure;
        }
    }

    /** The file being published. */
    public Path target() {
        return target;
    }

    /**
     * Flushes the data to disk and moves the file to its final name.
     *
     * @return the final path
     */
    public Path commit() {
        if (done) {
            throw new IllegalStateException(target + " was already committed or abandoned");
        }
        try {
            long length;
            synchronized (this) {
                length = minLength;
            }
            if (direct != null) {
                direct.finish();
                direct.close();
            } else {
                awaitFlushes();
            }
            if (channel.size() < length) {
                channel.write(ByteBuffer.allocate(1), length - 1);
            }
            channel.force(true);
            channel.close();
            publish();
            PendingOutputs.unregister(temp);
            done = true;
            syncDirectory(target.getParent());
            return target;
        } catch (IOException e) {
            throw new FileAccessException(target, "cannot finish writing", e);
        } finally {
            if (!done) {
                deleteTemp();
            }
            claim.close();
        }
    }

    private void publish() throws IOException {
        if (overwrite) {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return;
        }
        try {
            Files.createLink(target, temp);
            Files.delete(temp);
        } catch (FileAlreadyExistsException e) {
            throw new OutputExistsException(target);
        } catch (UnsupportedOperationException | IOException e) {
            // File systems without hard links: a plain move, after one more existence check.
            if (Files.exists(target)) {
                throw new OutputExistsException(target);
            }
            Files.move(temp, target);
        }
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is fine to skip. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // best effort: Windows cannot open directories as channels
        }
    }

    private void deleteTemp() {
        if (direct != null) {
            direct.close();
        }
        try {
            channel.close();
            Files.deleteIfExists(temp);
            PendingOutputs.unregister(temp);
        } catch (IOException ignored) {
            // nothing more to do: the temp name is hidden and marked .graft-tmp
        }
    }

    /** Abandons the write unless it was committed: the temp file is deleted and the target left as it was. */
    @Override
    public void close() {
        if (!done) {
            done = true;
            deleteTemp();
        }
        claim.close();
    }
}
