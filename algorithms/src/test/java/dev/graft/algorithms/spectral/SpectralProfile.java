package dev.graft.algorithms.spectral;

import dev.graft.core.kernel.TensorParameters;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times one SVD merge of one matrix, for docs/benchmarks.md's per-matrix profile (a program, not a test: run it
 * with Java's source launcher on {@code cli/target/classpath.txt}, as the page shows). Three task vectors shaped
 * like {@code graft bench family}'s deltas: a rank-4 part of element spread 0.05 plus Gaussian noise of spread 0.01.
 *
 * <p>Arguments: {@code ROWS COLS METHOD POLICY [OUT]}, METHOD one of tsv, iso_c, iso_cts, wudi (its steps from the
 * system property {@code steps}, default 1), POLICY {@code default} ({@link SvdPolicy#DEFAULT}) or {@code exact}
 * (every SVD by {@code sgesdd}); OUT, if given, receives the merged matrix as little-endian float32. The system
 * property {@code workers} (default 1) runs that many merges of the matrix at once on their own threads, as
 * {@code graft merge --threads} does with different tensors.
 */
public final class SpectralProfile {
    private SpectralProfile() {
    }

    public static void main(String[] args) throws IOException {
        LinearAlgebra la = LinearAlgebra.get();
        int m = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        String method = args[2];
        SvdPolicy policy = args[3].equals("exact") ? new SvdPolicy(Integer.MAX_VALUE, 8, 0) : SvdPolicy.DEFAULT;
        List<Matrix> tasks = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            try (Matrix u = la.gaussian(m, 4, 10 + t); Matrix v = la.gaussian(4, n, 20 + t);
                 Matrix uv = la.multiply(u, false, v, false)) {
                Matrix g = la.gaussian(m, n, 30 + t);
                long size = (long) m * n;
                for (long i = 0; i < size; i++) {
                    // 0.05 / √4: the rank-4 part's element spread is 0.05.
                    g.data().setAtIndex(Matrix.ELEMENT, i, 0.01f * g.data().getAtIndex(Matrix.ELEMENT, i)
                            + 0.025f * uv.data().getAtIndex(Matrix.ELEMENT, i));
                }
                tasks.add(g);
            }
        }
        Map<String, Object> global = new LinkedHashMap<>();
        global.put("lambda", 1.0);
        global.put("fraction", 1.0 / 3);
        global.put("common_fraction", 0.8);
        global.put("steps", Double.parseDouble(System.getProperty("steps", "1")));
        global.put("lr", 1e-4);
        TensorParameters p = new TensorParameters("w", List.of("base", "a", "b", "c"),
                List.of(Map.of(), Map.of(), Map.of(), Map.of()), global, 0, 1.0);
        MatrixMerge merge = switch (method) {
            case "tsv" -> new TsvMerge(policy);
            case "iso_c" -> new IsoCMerge(policy);
            case "iso_cts" -> new IsoCtsMerge(policy);
            case "wudi" -> new WudiMerge();
            default -> throw new IllegalArgumentException("no method " + method);
        };
        // Several merges of the same matrix at once, as the executor's worker threads run them (--threads).
        int workers = Integer.getInteger("workers", 1);
        List<Thread> threads = new ArrayList<>();
        Matrix[] outs = new Matrix[workers];
        long start = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            int slot = w;
            threads.add(Thread.ofPlatform().start(() -> outs[slot] = merge.merge(la, tasks, p)));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        System.out.printf("%s %s %dx%d, %d at once: %.1f s%n", method, args[3], m, n, workers,
                (System.nanoTime() - start) / 1e9);
        if (args.length > 4) {
            ByteBuffer bytes = ByteBuffer.allocate(m * n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(outs[0].toArray());
            Files.write(Path.of(args[4]), bytes.array());
        }
        for (Matrix out : outs) {
            out.close();
        }
        tasks.forEach(Matrix::close);
    }
}
