package dev.graft.algorithms.compress;

import dev.graft.formats.tensor.Tensor;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;

/**
 * What the factorising codecs (low-rank, Delta-CoMe) share: loading stored factors into native matrices, and
 * measuring a decoder's reconstruction against the delta exactly, by decoding it.
 */
final class Reconstruction {
    private Reconstruction() {
    }

    /** A stored tensor's values as a rows × cols matrix (the caller closes it). */
    static Matrix matrix(LinearAlgebra la, Tensor t, int rows, int cols) {
        Matrix m = la.zeros(rows, cols);
        long n = (long) rows * cols;
        float[] buf = new float[(int) Math.min(MatrixDelta.CHUNK, Math.max(1, n))];
        for (long first = 0; first < n; first += buf.length) {
            int count = (int) Math.min(buf.length, n - first);
            t.readFloats(first, buf, 0, count);
            java.lang.foreign.MemorySegment.copy(buf, 0, m.data(), Matrix.ELEMENT, first * Float.BYTES, count);
        }
        return m;
    }

    /**
     * {@code {‖Δ‖², ‖Δ − Δ̂‖²}} for the Δ̂ a decoder produces; closes the decoder.
     */
    static double[] error(MatrixDelta delta, DeltaDecoder decoder) {
        double[] sums = new double[2];
        try (decoder) {
            float[] hat = new float[(int) Math.min(MatrixDelta.CHUNK, Math.max(1, delta.size()))];
            delta.scan((first, d, count) -> {
                java.util.Arrays.fill(hat, 0, count, 0f);
                decoder.addTo(first, hat, count);
                double sq = 0;
                double err = 0;
                for (int i = 0; i < count; i++) {
                    sq += (double) d[i] * d[i];
                    double e = (double) d[i] - hat[i];
                    err += e * e;
                }
                sums[0] += sq;
                sums[1] += err;
            });
        }
        return sums;
    }
}
