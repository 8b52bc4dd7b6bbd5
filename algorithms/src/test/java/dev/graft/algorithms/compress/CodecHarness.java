package dev.graft.algorithms.compress;

import dev.graft.formats.delta.DeltaArtifact;
import dev.graft.formats.delta.DeltaArtifactWriter;
import dev.graft.formats.delta.DeltaEntry;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Encodes one matrix, stores it in a real delta file, reads it back and decodes it. */
final class CodecHarness {
    private static final AtomicInteger FILES = new AtomicInteger();

    record Result(EncodedDelta encoded, float[] delta, float[] decoded) {
        /** ‖Δ − Δ̂‖ / ‖Δ‖ recomputed from the decoded values, in double. */
        double measuredError() {
            double err = 0;
            double norm = 0;
            for (int i = 0; i < delta.length; i++) {
                double e = (double) delta[i] - decoded[i];
                err += e * e;
                norm += (double) delta[i] * delta[i];
            }
            return norm == 0 ? 0 : Math.sqrt(err / norm);
        }
    }

    private CodecHarness() {
    }

    static Result roundTrip(DeltaCodec codec, float[] base, float[] tuned, int rows, int cols, Path dir, int chunk) {
        MatrixDelta d = MatrixDelta.of("w", base, tuned, rows, cols);
        EncodedDelta enc = codec.encode(d);
        Path file = dir.resolve("delta-" + FILES.incrementAndGet() + ".safetensors");
        try (DeltaArtifactWriter w = DeltaArtifactWriter.create(file, false)) {
            w.add(new DeltaEntry(new TensorSpec("w", DType.F32, Shape.of(rows, cols)), enc.encoding(), enc.attributes(),
                    List.of(), "00000000", 0, Math.sqrt(enc.normSquared()), enc.relativeError()), enc.parts());
            w.commit(codec.method(), codec.parameters());
        }
        float[] delta = new float[base.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = tuned[i] - base[i];
        }
        try (DeltaArtifact a = DeltaArtifact.open(file)) {
            DeltaEntry e = a.manifest().entries().getFirst();
            // Decode with the codec rebuilt from the recorded parameters, as decompression does.
            DeltaDecoder dec = DeltaCodecs.of(a.manifest().method(), a.manifest().parameters()).decoder(e, a);
            float[] out = new float[delta.length];
            float[] buf = new float[chunk];
            for (int first = 0; first < out.length; first += chunk) {
                int n = Math.min(chunk, out.length - first);
                java.util.Arrays.fill(buf, 0);
                dec.addTo(first, buf, n);
                System.arraycopy(buf, 0, out, first, n);
            }
            return new Result(enc, delta, out);
        }
    }

    static float[] gaussian(int n, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    static float[] plus(float[] a, float[] b) {
        float[] v = new float[a.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = a[i] + b[i];
        }
        return v;
    }
}
