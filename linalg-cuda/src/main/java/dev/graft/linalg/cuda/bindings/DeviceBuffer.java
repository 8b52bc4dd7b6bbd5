package dev.graft.linalg.cuda.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/** Device memory of a known size, freed on close. Its pointer is not readable from Java; copy through a host segment. */
public final class DeviceBuffer implements AutoCloseable {
    private final CudaRuntime runtime;
    private final MemorySegment pointer;
    private final long bytes;
    private boolean closed;

    private DeviceBuffer(CudaRuntime runtime, long bytes) {
        this.runtime = runtime;
        this.bytes = bytes;
        this.pointer = runtime.deviceAlloc(bytes);
    }

    /** Room for {@code count} floats. */
    public static DeviceBuffer floats(CudaRuntime runtime, long count) {
        return new DeviceBuffer(runtime, count * Float.BYTES);
    }

    /** Room for {@code count} ints. */
    static DeviceBuffer ints(CudaRuntime runtime, long count) {
        return new DeviceBuffer(runtime, count * Integer.BYTES);
    }

    /** The device address. */
    public MemorySegment pointer() {
        return pointer;
    }

    /** Copies all of {@code host} (at most this buffer's size) to the start of this buffer. */
    public void upload(MemorySegment host) {
        runtime.copy(pointer, host, Math.min(bytes, host.byteSize()), CudaRuntime.HOST_TO_DEVICE);
    }

    /** Copies the start of this buffer into all of {@code host}. */
    public void download(MemorySegment host) {
        runtime.copy(host, pointer, Math.min(bytes, host.byteSize()), CudaRuntime.DEVICE_TO_HOST);
    }

    int readInt() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(JAVA_INT);
            download(host);
            return host.get(JAVA_INT, 0);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            runtime.deviceFree(pointer);
        }
    }
}
