package dev.graft.cli.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The raw I/O floor of a command: what {@code cat INPUTS > /dev/null; cp OUTPUT COPY; sync} costs on the same files.
 * Every input file is read once into one reused buffer (nothing decoded), then one new file of the output's size
 * is written from a buffer and fsynced. No tool that reads these inputs and writes that output can take less; the
 * executor floor ({@link ReadFloor}) adds Graft's float32 decoding and encoding on top.
 */
final class RawFloor {
    private static final int BUFFER = 1 << 20;

    private RawFloor() {
    }

    /** The files a model path stands for: itself, or every regular file in the folder, by name. */
    static List<Path> files(Path model) throws IOException {
        if (!Files.isDirectory(model)) {
            return List.of(model);
        }
        try (Stream<Path> s = Files.list(model)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The bytes of every file of {@code models}. */
    static long bytes(List<Path> models) throws IOException {
        long sum = 0;
        for (Path m : models) {
            for (Path f : files(m)) {
                sum += Files.size(f);
            }
        }
        return sum;
    }

    /**
     * Reads every file of {@code models} into nothing, then writes {@code outputBytes} to a new {@code scratch}
     * with fsync, and deletes it.
     */
    static void run(List<Path> models, long outputBytes, Path scratch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        List<Path> all = new ArrayList<>();
        for (Path m : models) {
            all.addAll(files(m));
        }
        for (Path f : all) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                while (ch.read(buf.clear()) >= 0) {
                    // read into nothing, as cat FILE > /dev/null does
                }
            }
        }
        Files.deleteIfExists(scratch);
        try {
            writeAndSync(scratch, outputBytes);
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    /** Writes {@code bytes} bytes to the new file {@code file} from one reused buffer and fsyncs it. */
    static void writeAndSync(Path file, long bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long pos = 0; pos < bytes; ) {
                buf.clear().limit((int) Math.min(buf.capacity(), bytes - pos));
                while (buf.hasRemaining()) {
                    pos += ch.write(buf, pos);
                }
            }
            ch.force(true);
        }
    }
}
