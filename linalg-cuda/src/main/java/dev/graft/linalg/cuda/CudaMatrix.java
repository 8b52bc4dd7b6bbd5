package dev.graft.linalg.cuda;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;

import java.lang.foreign.MemorySegment;

/** A row-major float32 matrix in page-locked host memory, the staging area of every copy to and from the GPU. */
final class CudaMatrix implements Matrix {
    private final CudaLinearAlgebra backend;
    private final int rows;
    private final int cols;
    private final MemorySegment data;
    private boolean closed;

    CudaMatrix(CudaLinearAlgebra backend, int rows, int cols) {
        this.backend = backend;
        this.rows = rows;
        this.cols = cols;
        this.data = backend.device().pinned((long) rows * cols * Float.BYTES);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public synchronized MemorySegment data() {
        if (closed) {
            throw new IllegalStateException("matrix " + rows + "×" + cols + " was closed");
        }
        return data;
    }

    @Override
    public LinearAlgebra backend() {
        return backend;
    }

    @Override
    public Matrix transpose() {
        CudaMatrix t = new CudaMatrix(backend, cols, rows);
        MemorySegment from = data();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t.data.setAtIndex(ELEMENT, (long) c * rows + r, from.getAtIndex(ELEMENT, (long) r * cols + c));
            }
        }
        return t;
    }

    @Override
    public Matrix copy() {
        CudaMatrix c = new CudaMatrix(backend, rows, cols);
        MemorySegment.copy(data(), 0, c.data, 0, data.byteSize());
        return c;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            backend.device().freePinned(data);
        }
    }

    @Override
    public String toString() {
        return "Matrix[" + rows + "×" + cols + "]";
    }
}
