package dev.graft.formats.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file opened read-only for memory mapping: its channel and the shared arena its main mapping lives in, closed
 * together. The readers of every weights format open files through it, so that a failure half-way through opening
 * releases the channel and the mapping alike, and every I/O error comes out as a {@link FileAccessException}.
 */
public final class MappedFile implements AutoCloseable {
    private final Path path;
    private final String action;
    private final FileChannel channel;
    private final Arena arena = Arena.ofShared();

    private MappedFile(Path path, String action, FileChannel channel) {
        this.path = path;
        this.action = action;
        this.channel = channel;
    }

    /**
     * Opens a file for reading.
     *
     * @param action what failed, for messages ({@code cannot read safetensors file})
     * @throws FileAccessException when it cannot be opened
     */
    public static MappedFile open(Path path, String action) {
        try {
            return new MappedFile(path, action, FileChannel.open(path, StandardOpenOption.READ));
        } catch (IOException e) {
            throw new FileAccessException(path, action, e);
        }
    }

    /** The channel, for reads before anything is mapped (a header). */
    public FileChannel channel() {
        return channel;
    }

    /**
     * The file's size.
     *
     * @throws FileAccessException when it cannot be read
     */
    public long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new FileAccessException(path, action, e);
        }
    }

    /**
     * Maps a region in this file's own arena, unmapped by {@link #close()}; an empty region needs no mapping.
     *
     * @throws FileAccessException when it cannot be mapped
     */
    public MemorySegment map(long offset, long bytes) {
        return bytes == 0 ? MemorySegment.ofArray(new byte[0]) : map(offset, bytes, arena, action);
    }

    /**
     * Maps a region in the caller's arena, unmapped when that arena closes.
     *
     * @param what what is mapped, for messages ({@code cannot map tensor "w"})
     * @throws FileAccessException when it cannot be mapped
     */
    public MemorySegment map(long offset, long bytes, Arena into, String what) {
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, bytes, into);
        } catch (IOException e) {
            throw new FileAccessException(path, what, e);
        }
    }

    /** Unmaps what {@link #map(long, long)} mapped and closes the channel; mapped segments must not be used after. */
    @Override
    public void close() {
        arena.close();
        try {
            channel.close();
        } catch (IOException ignored) {
            // a read-only channel loses nothing by a failed close; the file is still released by the OS
        }
    }
}
