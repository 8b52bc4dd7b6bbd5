package dev.graft.formats.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Where one output tensor's values go, front to back, whatever the file format: a safetensors slot
 * ({@code SafetensorsWriter.TensorSink}) or a GGUF tensor ({@code GgufMergeSink}). Values arrive as float32
 * windows, as raw bytes of the tensor's planned dtype, or as a whole tensor. Not thread-safe; one sink per thread.
 */
public interface TensorDataSink extends AutoCloseable {
    /** Elements not yet given. */
    long remainingElements();

    /** Appends float32 values, rounded to the tensor's planned dtype. */
    void writeFloats(float[] src, int from, int count);

    /** Appends raw little-endian bytes of the tensor's planned dtype. */
    void writeBytes(MemorySegment bytes);

    /** Appends a whole tensor of the planned shape. */
    void writeFrom(Tensor t);

    /** Appends a whole tensor through float32 windows of at most {@code window} values (its dtype converted). */
    default void writeThroughFloats(Tensor t, int window) {
        float[] buf = new float[(int) Math.min(window, Math.max(1, t.elementCount()))];
        for (long first = 0; first < t.elementCount(); first += buf.length) {
            int n = (int) Math.min(buf.length, t.elementCount() - first);
            t.readFloats(first, buf, 0, n);
            writeFloats(buf, 0, n);
        }
    }

    /** Releases buffers; completeness is checked when the output commits. */
    @Override
    void close();
}
