package dev.graft.cli.bench;

import dev.graft.algorithms.lora.Extraction;
import dev.graft.algorithms.lora.ExtractionReport;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.RandomizedSvdOptions;
import dev.graft.linalg.Svd;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyLlama;
import dev.graft.testmodels.TinyModel;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The extraction figures: randomized against exact SVD on one bf16 fine-tuning-like delta, and a whole generated
 * Llama-shaped pair extracted end to end.
 */
public final class ExtractBenchmark {
    /** Singular values of the synthetic delta decay as {@code (k+1)^-DECAY} over its first {@value #SPECTRUM}. */
    private static final int SPECTRUM = 512;
    private static final double DECAY = 1.0;

    private final PrintWriter log;

    public ExtractBenchmark(PrintWriter log) {
        this.log = log;
    }

    /** What the matrix comparison measured. */
    public record MatrixResult(double randomizedSeconds, double exactSeconds, double randomizedEnergy,
                               double exactEnergy) {
    }

    /**
     * A {@code side × side} bf16 delta with a power-law spectrum plus dense noise (the shape of real fine-tuning
     * deltas: a few strong directions, a long tail), factored at {@code rank} by the randomized SVD (best of
     * {@code repeats}) and by {@code sgesdd} (once).
     */
    public MatrixResult matrix(int side, int rank, int repeats) {
        LinearAlgebra la = LinearAlgebra.get();
        try (Matrix delta = syntheticDelta(la, side)) {
            double total = delta.frobeniusNormSquared();
            double best = Double.MAX_VALUE;
            double rEnergy = 0;
            for (int i = 0; i < repeats; i++) {
                long t = System.nanoTime();
                try (Svd s = la.randomizedSvd(delta, RandomizedSvdOptions.rank(rank))) {
                    best = Math.min(best, (System.nanoTime() - t) / 1e9);
                    rEnergy = s.energy(rank) / total;
                }
                log.printf("randomized SVD rank %d (p=10, q=2): %.2f s%n", rank, best);
                log.flush();
            }
            long t = System.nanoTime();
            double eEnergy;
            try (Svd s = la.svd(delta)) {
                double exact = (System.nanoTime() - t) / 1e9;
                eEnergy = s.energy(rank) / total;
                log.printf("exact sgesdd: %.2f s%n", exact);
                log.printf("energy at rank %d: randomized %.6f, exact %.6f (difference %.2e); speed-up %.1fx%n", rank,
                        rEnergy, eEnergy, eEnergy - rEnergy, exact / best);
                log.flush();
                return new MatrixResult(best, exact, rEnergy, eEnergy);
            }
        }
    }

    private static Matrix syntheticDelta(LinearAlgebra la, int side) {
        int k = Math.min(SPECTRUM, side);
        try (Matrix left = la.gaussian(side, k, 1); Matrix right = la.gaussian(k, side, 2)) {
            MemorySegment l = left.data();
            for (int i = 0; i < side; i++) {
                for (int j = 0; j < k; j++) {
                    long at = (long) i * k + j;
                    l.setAtIndex(Matrix.ELEMENT, at, (float) (l.getAtIndex(Matrix.ELEMENT, at)
                            * Math.pow(j + 1, -DECAY) / Math.sqrt(side)));
                }
            }
            Matrix d = la.multiply(left, false, right, false);
            try (Matrix noise = la.gaussian(side, side, 3)) {
                float[] x = d.toArray();
                float[] n = noise.toArray();
                for (int i = 0; i < x.length; i++) {
                    x[i] += 0.02f * n[i];
                }
                // a bf16 delta: every element rounded as torch's .to(bfloat16)
                float[] rounded = Tensor.fromFloats("delta", DType.BF16, Shape.of(side, side), x).toFloatArray();
                MemorySegment.copy(rounded, 0, d.data(), Matrix.ELEMENT, 0, rounded.length);
            }
            return d;
        }
    }

    /**
     * Generates a Llama-shaped bf16 base and fine-tune in {@code dir}, extracts at {@code rank}, and deletes them.
     */
    public ExtractionReport model(Path dir, TinyModel shape, int rank, int threads) throws IOException {
        Path root = dir.resolve("graft-bench-extract");
        try {
            long t0 = System.nanoTime();
            FineTuneFamily.Folders f = FineTuneFamily.of(shape).fineTunes(1).rank(8).seed(1).overwrite(true)
                    .writeTo(root);
            log.printf("generated a %.2fB-parameter bf16 base and fine-tune in %.1f s%n", shape.parameterCount() / 1e9,
                    (System.nanoTime() - t0) / 1e9);
            log.flush();
            long t = System.nanoTime();
            ExtractionReport r = Extraction.of(f.base(), f.fineTunes().getFirst()).rank(rank).threads(threads)
                    .write(root.resolve("adapter"));
            double s = (System.nanoTime() - t) / 1e9;
            log.printf("extracted %d modules at rank %d in %.1f s (%.2f modules/s); energy kept %.4f overall%n",
                    r.kept().size(), rank, s, r.kept().size() / s, r.overallEnergy());
            log.flush();
            return r;
        } finally {
            deleteTree(root);
        }
    }

    /** A Llama of about a billion parameters (TinyLlama-1.1B's shape). */
    public static TinyModel billion() {
        return TinyLlama.builder().layers(22).hidden(2048).intermediate(5632).vocab(32000).heads(32).kvHeads(4)
                .dtype(DType.BF16).seed(1).build();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
