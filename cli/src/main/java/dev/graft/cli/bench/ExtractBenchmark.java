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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

    /** The kinds of synthetic delta the SVD comparison runs on. */
    public enum DeltaKind {
        /** Rank 8 with element spread 0.05 plus dense noise of spread 0.01: the generated fine-tunes' profile. */
        LOW_RANK,
        /** Singular values decaying as 1/k over 512 directions plus noise of equal energy: a slowly decaying tail. */
        POWER_LAW
    }

    /** One randomized configuration measured against the exact SVD of the same matrix. */
    public record SketchResult(int oversampling, int powerIterations, double energyTolerance, double seconds,
                               double energy) {
    }

    /**
     * A {@code side × side} bf16 delta factored at {@code rank} by {@code sgesdd} (once) and by the randomized SVD
     * with each (oversampling, power iterations) pair (best time of {@code repeats}), printing time, energy kept
     * and the gap to the exact truncation.
     */
    public List<SketchResult> matrix(DeltaKind kind, int side, int rank, int repeats,
                                     List<RandomizedSvdOptions> sketches) {
        LinearAlgebra la = LinearAlgebra.get();
        try (Matrix delta = kind == DeltaKind.LOW_RANK ? lowRankDelta(la, side) : powerLawDelta(la, side)) {
            double total = delta.frobeniusNormSquared();
            long t = System.nanoTime();
            double exactSeconds;
            double exactEnergy;
            try (Svd s = la.svd(delta)) {
                exactSeconds = (System.nanoTime() - t) / 1e9;
                exactEnergy = s.energy(rank) / total;
            }
            log.printf("%s delta %dx%d (bf16), rank %d: exact sgesdd %.2f s, energy %.6f%n",
                    kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), side, side, rank, exactSeconds,
                    exactEnergy);
            List<SketchResult> results = new ArrayList<>();
            for (RandomizedSvdOptions sketch : sketches) {
                double best = Double.MAX_VALUE;
                double energy = 0;
                for (int i = 0; i < repeats; i++) {
                    long t0 = System.nanoTime();
                    try (Svd s = la.randomizedSvd(delta, sketch.withRank(rank))) {
                        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                        energy = s.energy(rank) / total;
                    }
                }
                log.printf("  randomized p=%-3d %-14s %6.2f s (%5.1fx faster), energy %.6f (%.2e below exact)%n",
                        sketch.oversampling(), iterations(sketch) + ":", best, exactSeconds / best, energy,
                        exactEnergy - energy);
                log.flush();
                results.add(new SketchResult(sketch.oversampling(), sketch.powerIterations(),
                        sketch.energyTolerance(), best, energy));
            }
            return results;
        }
    }

    /** The power iterations of a sketch setting: {@code q=2}, or {@code q>=2 tol 2e-04} under a tolerance. */
    private static String iterations(RandomizedSvdOptions sketch) {
        return sketch.energyTolerance() > 0
                ? String.format("q>=%d tol %.0e", sketch.powerIterations(), sketch.energyTolerance())
                : String.format("q=%d", sketch.powerIterations());
    }

    private static Matrix lowRankDelta(LinearAlgebra la, int side) {
        int k = 8;
        try (Matrix left = la.gaussian(side, k, 1); Matrix right = la.gaussian(k, side, 2)) {
            // elements of L·R have spread √k; scale them to 0.05
            scale(left, (float) (0.05 / Math.sqrt(k)));
            return withNoiseInBf16(la, la.multiply(left, false, right, false), 0.01f, side);
        }
    }

    private static Matrix powerLawDelta(LinearAlgebra la, int side) {
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
            return withNoiseInBf16(la, la.multiply(left, false, right, false), 0.02f, side);
        }
    }

    private static void scale(Matrix m, float f) {
        MemorySegment d = m.data();
        long n = (long) m.rows() * m.cols();
        for (long i = 0; i < n; i++) {
            d.setAtIndex(Matrix.ELEMENT, i, d.getAtIndex(Matrix.ELEMENT, i) * f);
        }
    }

    /** Adds Gaussian noise of spread {@code sigma} and rounds every element to bf16 as torch does. */
    private static Matrix withNoiseInBf16(LinearAlgebra la, Matrix d, float sigma, int side) {
        try (Matrix noise = la.gaussian(side, side, 3)) {
            float[] x = d.toArray();
            float[] n = noise.toArray();
            for (int i = 0; i < x.length; i++) {
                x[i] += sigma * n[i];
            }
            float[] rounded = Tensor.fromFloats("delta", DType.BF16, Shape.of(side, side), x).toFloatArray();
            MemorySegment.copy(rounded, 0, d.data(), Matrix.ELEMENT, 0, rounded.length);
        }
        return d;
    }

    /**
     * Generates a Llama-shaped bf16 base and fine-tune in {@code dir}, extracts at {@code rank}, and deletes them.
     */
    public ExtractionReport model(Path dir, TinyModel shape, int rank, int threads, RandomizedSvdOptions sketch)
            throws IOException {
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
                    .sketch(sketch).write(root.resolve("adapter"));
            double s = (System.nanoTime() - t) / 1e9;
            log.printf("extracted %d modules at rank %d (p=%d, %s) on %d thread%s in %.1f s (%.2f modules/s); energy "
                    + "kept %.4f overall%n", r.kept().size(), rank, sketch.oversampling(), iterations(sketch),
                    threads, threads == 1 ? "" : "s", s, r.kept().size() / s, r.overallEnergy());
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
