package dev.graft.linalg.nd4j;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.foreign.MemorySegment;

/** A matrix held by an ND4J array: float32, 'c' (row-major) order, contiguous and never a view. */
final class Nd4jMatrix implements Matrix {
    private final Nd4jLinearAlgebra backend;
    private final INDArray array;
    private final int rows;
    private final int cols;
    private final MemorySegment data;
    private boolean closed;

    Nd4jMatrix(Nd4jLinearAlgebra backend, INDArray array) {
        if (array.rank() != 2 || array.dataType() != DataType.FLOAT || array.ordering() != 'c' || array.isView()) {
            throw new IllegalArgumentException("need a contiguous row-major float matrix, got " + array.shapeInfoToString());
        }
        this.backend = backend;
        this.array = array;
        this.rows = Math.toIntExact(array.rows());
        this.cols = Math.toIntExact(array.columns());
        long address = array.data().addressPointer().address() + array.offset() * Float.BYTES;
        this.data = MemorySegment.ofAddress(address).reinterpret((long) rows * cols * Float.BYTES);
    }

    INDArray array() {
        return array;
    }

    /** The elements as a JavaCPP pointer, for LAPACK. */
    FloatPointer pointer() {
        return new FloatPointer(array.data().addressPointer());
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
    public MemorySegment data() {
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
        return new Nd4jMatrix(backend, array.transpose().dup('c'));
    }

    @Override
    public Matrix copy() {
        return new Nd4jMatrix(backend, array.dup('c'));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (array.closeable()) {
                array.close();
            }
        }
    }

    @Override
    public String toString() {
        return "Matrix[" + rows + "×" + cols + "]";
    }
}
