package dev.graft.formats.io;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A large output's writes gathered into aligned regions and written past the page cache ({@code O_DIRECT}) by a
 * background thread.
 *
 * <p>Why: written through the page cache, every byte of a large output is copied into freshly allocated cache pages
 * by the writing thread, under the file's lock, and written to disk again at the final flush. On a 2-core machine
 * that copy took seconds of system time from the merge's workers (and more where a virtual machine backs each new
 * page on first touch), and two writers spun on the file's lock. Here the writers copy their bytes into reusable
 * buffers, one per {@value #REGION_BYTES}-byte region of the file; a region whose every byte has arrived goes to
 * disk whole, by DMA from that buffer, while the writers go on.
 *
 * <p>Every byte written lands where a positional write would put it; later writes to the same bytes win. A region
 * that cannot complete (bytes left unwritten, or more regions open than buffers allow) is written as it stands,
 * unwritten bytes as zeros (what a hole reads as), and from then on that region's writes go through the page cache.
 * After {@link #finish()} the file ends at the end of the last byte written. If the
 * file system refuses a direct write, that region and every later one go through the page cache instead.
 *
 * <p>Thread-safe: writes from several threads may touch the same region.
 */
final class DirectWriter {
    /** Bytes per region: one direct write each. */
    static final int REGION_BYTES = 4 << 20;
    /** Buffers: regions filling at once plus regions waiting for the disk (64 MiB at most). */
    static final int BUFFERS = 16;

    private final Path file;
    private final FileChannel direct;
    private final FileChannel buffered;
    private final int regionBytes;
    private final int align;
    private final int maxBuffers;
    /** The planned length, or 0 when unknown. */
    private final long planned;
    /** Regions of the planned length: when all of them are out, the buffers are released. */
    private final long plannedRegions;
    private final Arena arena = Arena.ofShared();
    private final ArrayDeque<MemorySegment> free = new ArrayDeque<>();
    private final Map<Long, Region> open = new HashMap<>();
    /** Regions sent to disk, complete or as they stood: their later writes go through {@link #buffered}. */
    private final BitSet sent = new BitSet();
    private final ArrayDeque<Region> toDisk = new ArrayDeque<>();
    private final Thread thread;
    private int buffers;
    /** The region the background thread is writing, or -1. */
    private long inFlightIndex = -1;
    private long end;
    private long useCount;
    private boolean directRefused;
    /** Every planned region is on disk and the buffers are gone: writes go through {@link #buffered}. */
    private boolean released;
    private boolean closing;
    private IOException failure;

    DirectWriter(Path file, FileChannel direct, FileChannel buffered, int align, int regionBytes, int maxBuffers,
                 long planned) {
        this.file = file;
        this.planned = planned;
        this.plannedRegions = (planned + regionBytes - 1) / regionBytes;
        this.direct = direct;
        this.buffered = buffered;
        this.align = align;
        this.regionBytes = regionBytes;
        this.maxBuffers = maxBuffers;
        this.thread = Thread.ofPlatform().daemon().name("graft-write").start(this::drain);
    }

    /**
     * Opens {@code file} (already created, open as {@code buffered}) for direct writes, or returns null where the
     * platform or file system has no direct I/O.
     *
     * @param planned the length the file will have, or 0 when unknown: a region that ends there is complete
     *                without the bytes after it, and once every region up to it is on disk the buffers are released
     */
    static DirectWriter open(Path file, FileChannel buffered, long planned) {
        return open(file, buffered, planned, REGION_BYTES, BUFFERS);
    }

    /** {@link #open(Path, FileChannel, long)} with other sizes (tests). */
    static DirectWriter open(Path file, FileChannel buffered, long planned, int regionBytes, int maxBuffers) {
        try {
            long block = Files.getFileStore(file).getBlockSize();
            if (block <= 0 || block > regionBytes || regionBytes % block != 0) {
                return null;
            }
            FileChannel direct = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            return new DirectWriter(file, direct, buffered, (int) block, regionBytes, Math.max(2, maxBuffers),
                    planned);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * Writes all of {@code src} at byte {@code position} of the file.
     *
     * @throws IOException the failure of an earlier write to disk (a full disk), or of this one
     */
    void write(ByteBuffer src, long position) throws IOException {
        MemorySegment bytes = MemorySegment.ofBuffer(src);
        long done = 0;
        long total = bytes.byteSize();
        while (done < total) {
            long pos = position + done;
            long index = pos / regionBytes;
            int offset = (int) (pos - index * regionBytes);
            int n = (int) Math.min(total - done, regionBytes - offset);
            Region region = pin(index, pos + n);
            if (region == null) {
                AtomicFile.writeFully(buffered, bytes.asSlice(done, n).asByteBuffer(), pos);
            } else {
                MemorySegment.copy(bytes, done, region.buffer, offset, n);
                unpin(region, offset, offset + n);
            }
            done += n;
        }
        src.position(src.limit());
    }

    /** The region buffer for {@code index}, pinned; null when that region's writes go through the page cache. */
    private synchronized Region pin(long index, long writeEnd) throws IOException {
        checkFailure();
        if (closing) {
            throw new IOException(file + " was abandoned while being written");
        }
        end = Math.max(end, writeEnd);
        while (true) {
            if (released) {
                return null;
            }
            if (sent.get(Math.toIntExact(index))) {
                // A buffered write must not race the direct write of the same region still on its way to disk.
                while (isQueued(index)) {
                    await();
                }
                return null;
            }
            Region region = open.get(index);
            if (region == null) {
                MemorySegment buffer = takeBuffer();
                if (buffer == null) {
                    continue; // a region was passed on or a buffer came back meanwhile: look again
                }
                region = new Region(index, buffer);
                open.put(index, region);
            }
            region.pins++;
            region.lastUse = ++useCount;
            return region;
        }
    }

    private synchronized void unpin(Region region, int from, int to) {
        region.pins--;
        region.cover(from, to);
        if (region.pins == 0 && region.complete(limit(region.index))) {
            open.remove(region.index);
            queue(region);
        } else if (region.pins == 0 && buffers == maxBuffers && free.isEmpty()) {
            notifyAll(); // a writer waiting for a buffer may pass this region on now
        }
    }

    /** A free buffer, or null after making room (the caller looks again). */
    private MemorySegment takeBuffer() throws IOException {
        if (!free.isEmpty()) {
            return free.pop();
        }
        if (buffers < maxBuffers) {
            buffers++;
            return arena.allocate(regionBytes, align);
        }
        Region oldest = null;
        for (Region r : open.values()) {
            if (r.pins == 0 && (oldest == null || r.lastUse < oldest.lastUse)) {
                oldest = r;
            }
        }
        if (oldest != null) {
            open.remove(oldest.index);
            queue(oldest);
        }
        await();
        checkFailure();
        return null;
    }

    /** Sends a region to disk, complete or as it stands; its later writes go through the page cache. */
    private void queue(Region region) {
        sent.set(Math.toIntExact(region.index));
        toDisk.add(region);
        notifyAll();
    }

    /** Whether every planned region is on disk and the buffers were released (tests). */
    synchronized boolean released() {
        return released;
    }

    /** The bytes of region {@code index} that complete it: all of them, or those up to the planned length. */
    private int limit(long index) {
        long start = index * regionBytes;
        return planned > start ? (int) Math.min(regionBytes, planned - start) : regionBytes;
    }

    private boolean isQueued(long index) {
        for (Region r : toDisk) {
            if (r.index == index) {
                return true;
            }
        }
        return inFlightIndex == index;
    }

    private void await() throws IOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing " + file, e);
        }
    }

    private void checkFailure() throws IOException {
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
    }

    /** The background thread: regions to disk, in the order they completed. */
    private void drain() {
        while (true) {
            Region region;
            synchronized (this) {
                while (toDisk.isEmpty() && !closing) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (toDisk.isEmpty()) {
                    return;
                }
                region = toDisk.pop();
                inFlightIndex = region.index;
            }
            IOException failed = null;
            try {
                writeRegion(region);
            } catch (IOException e) {
                failed = e;
            }
            synchronized (this) {
                if (failed != null && failure == null) {
                    failure = failed;
                }
                if (!region.complete(limit(region.index))) {
                    region.buffer.fill((byte) 0); // unwritten bytes must read as zeros next time
                }
                free.push(region.buffer);
                inFlightIndex = -1;
                if (plannedRegions > 0 && toDisk.isEmpty() && open.isEmpty()
                        && sent.nextClearBit(0) >= plannedRegions && !released) {
                    // A sharded output keeps every shard open until the last: a finished one gives its memory back.
                    released = true;
                    free.clear();
                    arena.close();
                }
                notifyAll();
            }
        }
    }

    private void writeRegion(Region region) throws IOException {
        long start = region.index * regionBytes;
        int length = roundUp(region.coveredEnd());
        ByteBuffer bytes = region.buffer.asSlice(0, length).asByteBuffer();
        if (!directRefused) {
            try {
                AtomicFile.writeFully(direct, bytes, start);
                return;
            } catch (IOException e) {
                // Some file systems open with O_DIRECT and refuse the write: the page cache takes this region and the rest.
                directRefused = true;
            }
        }
        AtomicFile.writeFully(buffered, region.buffer.asSlice(0, region.coveredEnd()).asByteBuffer(), start);
    }

    private int roundUp(int bytes) {
        return (bytes + align - 1) / align * align;
    }

    /**
     * Writes every region still open, waits for the disk, and cuts the file to the end of the last byte written
     * (the last region went out in whole blocks). The caller then flushes and closes the file.
     *
     * @throws IOException the first write that failed
     */
    void finish() throws IOException {
        synchronized (this) {
            for (Iterator<Region> it = open.values().iterator(); it.hasNext(); ) {
                Region r = it.next();
                it.remove();
                queue(r);
            }
            while (!toDisk.isEmpty() || inFlightIndex >= 0) {
                await();
            }
            checkFailure();
        }
        if (buffered.size() > end) {
            buffered.truncate(end);
        }
    }

    /** Stops the background thread and releases the buffers, after {@link #finish} or to abandon the file; idempotent. */
    void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            toDisk.clear();
            notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            direct.close();
        } catch (IOException ignored) {
            // the file is flushed through the other channel, or being deleted
        }
        synchronized (this) {
            if (!released) {
                released = true;
                arena.close();
            }
        }
    }

    /** One region's buffer and which of its bytes have arrived. */
    private static final class Region {
        final long index;
        final MemorySegment buffer;
        /** Written byte ranges {@code [from, to)}, sorted, disjoint and not touching. */
        private final List<int[]> runs = new ArrayList<>(2);
        int pins;
        long lastUse;

        Region(long index, MemorySegment buffer) {
            this.index = index;
            this.buffer = buffer;
        }

        void cover(int from, int to) {
            int lo = from;
            int hi = to;
            int i = 0;
            while (i < runs.size() && runs.get(i)[1] < lo) {
                i++;
            }
            while (i < runs.size() && runs.get(i)[0] <= hi) {
                lo = Math.min(lo, runs.get(i)[0]);
                hi = Math.max(hi, runs.get(i)[1]);
                runs.remove(i);
            }
            runs.add(i, new int[] {lo, hi});
        }

        /** Whether bytes {@code [0, limit)} have all been written. */
        boolean complete(int limit) {
            return runs.size() == 1 && runs.get(0)[0] == 0 && runs.get(0)[1] >= limit;
        }

        int coveredEnd() {
            return runs.isEmpty() ? 0 : runs.get(runs.size() - 1)[1];
        }
    }

}
