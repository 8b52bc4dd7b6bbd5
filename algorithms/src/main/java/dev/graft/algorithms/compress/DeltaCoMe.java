package dev.graft.algorithms.compress;

import dev.graft.formats.delta.DeltaArtifact;
import dev.graft.formats.delta.DeltaEntry;
import dev.graft.formats.delta.DeltaPart;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.dtype.Fp16;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.RandomizedSvdOptions;
import dev.graft.linalg.Svd;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Delta-CoMe (Ping et al., NeurIPS 2024), data-free: the delta's SVD {@code Δ ≈ Σ σ_i u_i v_iᵀ} with the singular
 * vectors quantized at mixed precision, more bits for larger singular values. By default the top 2 triplets get 8
 * bits, the next 32 get 3 bits and the rest 2 bits, as many as fit a budget of {@code bits-per-param} bits per
 * element of the matrix (every byte stored counted: codes, scales and singular values).
 *
 * <p>Quantizer: round-to-nearest, symmetric mid-rise, per group of {@code group-size} consecutive elements of a
 * vector: {@code step = max|x| / 2^(b−1)} (stored F16, rounded up so the range is covered), code
 * {@code q = clamp(⌊x/step⌋, −2^(b−1), 2^(b−1)−1)}, value {@code (q + ½)·step}; the error is at most half a step.
 * The paper quantizes with GPTQ, which needs calibration activations (a forward pass over sample data) and is out
 * of scope; RTN is its data-free path. Singular values stay F32.
 *
 * <p>Stored, for each run {@code g} of triplets with the same width: {@code g<g>.u} / {@code g<g>.v} (U8, the codes
 * of the run's u vectors then v vectors, {@link CodePacking} order), {@code g<g>.u_scale} / {@code g<g>.v_scale}
 * (F16 [vectors, groups]); and {@code s} (F32 [r]). Attribute {@code widths}: the runs as {@code bits×count},
 * comma-separated.
 */
public final class DeltaCoMe implements DeltaCodec {
    public static final String METHOD = "deltacome";
    public static final double DEFAULT_BITS_PER_PARAM = 1.0;
    public static final List<Integer> DEFAULT_BITS = List.of(8, 3, 2);
    public static final List<Integer> DEFAULT_COUNTS = List.of(2, 32);
    public static final int DEFAULT_GROUP_SIZE = 128;
    static final String S = "s";

    private final double bitsPerParam;
    private final List<Integer> bits;
    private final List<Integer> counts;
    private final int groupSize;
    private final long seed;

    /**
     * @param bitsPerParam the budget, bits per matrix element
     * @param bits         widths of the triplet groups, largest singular values first (1 to 8 each)
     * @param counts       triplets in each group but the last, which takes the rest of the budget
     * @param groupSize    elements sharing one quantization step
     * @param seed         seed of the randomized SVD
     */
    public DeltaCoMe(double bitsPerParam, List<Integer> bits, List<Integer> counts, int groupSize, long seed) {
        if (!(bitsPerParam > 0 && bitsPerParam <= 32)) {
            throw new IllegalArgumentException("deltacome bits per parameter must be in (0, 32], not " + bitsPerParam);
        }
        if (bits.isEmpty() || bits.stream().anyMatch(b -> b < 1 || b > 8)) {
            throw new IllegalArgumentException("deltacome bit widths must be 1 to 8, not " + bits);
        }
        if (counts.size() != bits.size() - 1 || counts.stream().anyMatch(c -> c < 0)) {
            throw new IllegalArgumentException("deltacome needs one count for each bit width but the last ("
                    + (bits.size() - 1) + "), non-negative; got " + counts);
        }
        if (groupSize < 1) {
            throw new IllegalArgumentException("deltacome group size must be at least 1, not " + groupSize);
        }
        this.bitsPerParam = bitsPerParam;
        this.bits = List.copyOf(bits);
        this.counts = List.copyOf(counts);
        this.groupSize = groupSize;
        this.seed = seed;
    }

    /** The defaults (8 bits × 2, 3 bits × 32, 2 bits for the rest, groups of 128) at a budget. */
    public static DeltaCoMe ofBudget(double bitsPerParam) {
        return new DeltaCoMe(bitsPerParam, DEFAULT_BITS, DEFAULT_COUNTS, DEFAULT_GROUP_SIZE, 0);
    }

    static DeltaCoMe fromParameters(Map<String, String> p) {
        return new DeltaCoMe(DeltaCodecs.number(p, "bits-per-param"), ints(p.get("bits")), ints(p.get("counts")),
                (int) DeltaCodecs.number(p, "group-size"), (long) DeltaCodecs.number(p, "seed"));
    }

    /** Parses a comma-separated list of integers ("" for none). */
    public static List<Integer> ints(String csv) {
        if (csv == null) {
            throw new IllegalArgumentException("a list parameter is missing");
        }
        if (csv.isBlank()) {
            return List.of();
        }
        try {
            return Arrays.stream(csv.split(",")).map(String::strip).map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + csv + "\" is not a comma-separated list of integers");
        }
    }

    private static String csv(List<Integer> v) {
        return v.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bits-per-param", Double.toString(bitsPerParam));
        p.put("bits", csv(bits));
        p.put("counts", csv(counts));
        p.put("group-size", Integer.toString(groupSize));
        p.put("seed", Long.toString(seed));
        return p;
    }

    /** A run of consecutive triplets quantized with the same width. */
    record Run(int bits, int count) {
    }

    /** The runs that fit the budget for a rows × cols matrix, largest singular values first. */
    List<Run> allocate(int rows, int cols) {
        double budget = bitsPerParam * rows * cols;
        long scaleBits = 16L * (ceilDiv(rows, groupSize) + ceilDiv(cols, groupSize));
        List<Run> runs = new ArrayList<>();
        double used = 0;
        int full = Math.min(rows, cols);
        int triplet = 0;
        for (int g = 0; g < bits.size() && triplet < full; g++) {
            int b = bits.get(g);
            int limit = g < counts.size() ? counts.get(g) : Integer.MAX_VALUE;
            double cost = (double) b * (rows + cols) + scaleBits + 32;
            int n = 0;
            while (n < limit && triplet < full && used + cost <= budget) {
                used += cost;
                n++;
                triplet++;
            }
            if (n > 0) {
                runs.add(new Run(b, n));
            }
            if (n < limit && triplet < full) {
                break; // the budget ran out inside this group
            }
        }
        return runs;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    @Override
    public EncodedDelta encode(MatrixDelta delta) {
        int rows = delta.rows();
        int cols = delta.cols();
        List<Run> runs = allocate(rows, cols);
        int r = runs.stream().mapToInt(Run::count).sum();
        LinearAlgebra la = LinearAlgebra.get();
        List<DeltaPart> parts = new ArrayList<>();
        float[] s = new float[r];
        if (r > 0) {
            try (Matrix d = delta.toMatrix(la);
                 Svd svd = la.randomizedSvd(d, new RandomizedSvdOptions(r, RandomizedSvdOptions.DEFAULT_OVERSAMPLING,
                         RandomizedSvdOptions.DEFAULT_POWER_ITERATIONS, seed))) {
                System.arraycopy(svd.s(), 0, s, 0, r);
                int first = 0;
                for (int g = 0; g < runs.size(); g++) {
                    Run run = runs.get(g);
                    float[] u = new float[rows];
                    float[] v = new float[cols];
                    Quantized qu = new Quantized(run.count(), rows, run.bits(), groupSize);
                    Quantized qv = new Quantized(run.count(), cols, run.bits(), groupSize);
                    for (int j = 0; j < run.count(); j++) {
                        for (int i = 0; i < rows; i++) {
                            u[i] = svd.u().get(i, first + j);
                        }
                        for (int k = 0; k < cols; k++) {
                            v[k] = svd.vt().get(first + j, k);
                        }
                        qu.quantize(j, u);
                        qv.quantize(j, v);
                    }
                    parts.addAll(qu.parts("g" + g + ".u"));
                    parts.addAll(qv.parts("g" + g + ".v"));
                    first += run.count();
                }
            }
        }
        parts.add(DeltaPart.floats(S, Shape.of(r), s));
        Map<String, DeltaPart> byName = new HashMap<>();
        parts.forEach(p -> byName.put(p.part(), p));
        DeltaDecoder dec = factors(la, runs, rows, cols,
                (name, dtype) -> new Tensor(byName.get(name).spec(name), byName.get(name).data()));
        double[] sums = Reconstruction.error(delta, dec);
        return new EncodedDelta(METHOD, Map.of("widths", widths(runs)), parts, sums[0], sums[1]);
    }

    private static String widths(List<Run> runs) {
        return runs.stream().map(r -> r.bits() + "x" + r.count()).collect(Collectors.joining(","));
    }

    private static List<Run> parseWidths(String text) {
        List<Run> runs = new ArrayList<>();
        if (text.isBlank()) {
            return runs;
        }
        for (String w : text.split(",")) {
            String[] bc = w.split("x");
            if (bc.length != 2) {
                throw new IllegalArgumentException("widths entry \"" + w + "\" is not BITSxCOUNT");
            }
            int b = Integer.parseInt(bc[0]);
            int c = Integer.parseInt(bc[1]);
            if (b < 1 || b > 8 || c < 1) {
                throw new IllegalArgumentException("widths entry \"" + w + "\" is out of range");
            }
            runs.add(new Run(b, c));
        }
        return runs;
    }

    /** Dequantizes the runs into L = Û·diag(s) and R = V̂ᵀ. */
    private DeltaDecoder factors(LinearAlgebra la, List<Run> runs, int rows, int cols,
                                 BiFunction<String, DType, Tensor> part) {
        int r = runs.stream().mapToInt(Run::count).sum();
        if (r == 0) {
            return (first, values, count) -> { };
        }
        float[] s = new float[r];
        part.apply(S, DType.F32).readFloats(0, s, 0, r);
        Matrix left = la.zeros(rows, r);
        Matrix right = la.zeros(r, cols);
        float[] u = new float[rows];
        float[] v = new float[cols];
        int first = 0;
        for (int g = 0; g < runs.size(); g++) {
            Run run = runs.get(g);
            Dequantizer du = new Dequantizer(part.apply("g" + g + ".u", DType.U8).data(),
                    part.apply("g" + g + ".u_scale", DType.F16).data(), rows, run.bits(), groupSize);
            Dequantizer dv = new Dequantizer(part.apply("g" + g + ".v", DType.U8).data(),
                    part.apply("g" + g + ".v_scale", DType.F16).data(), cols, run.bits(), groupSize);
            for (int j = 0; j < run.count(); j++) {
                du.vector(j, u);
                dv.vector(j, v);
                int t = first + j;
                for (int i = 0; i < rows; i++) {
                    left.set(i, t, u[i] * s[t]);
                }
                MemorySegment.copy(v, 0, right.data(), Matrix.ELEMENT, (long) t * cols * Float.BYTES, cols);
            }
            first += run.count();
        }
        return new FactorProduct(la, left, right);
    }

    @Override
    public DeltaDecoder decoder(DeltaEntry entry, DeltaArtifact artifact) {
        StoredParts parts = new StoredParts(artifact, entry);
        int rows = Math.toIntExact(entry.spec().shape().dim(0));
        int cols = Math.toIntExact(entry.spec().shape().dim(1));
        List<Run> runs;
        try {
            runs = parseWidths(parts.attribute("widths"));
        } catch (IllegalArgumentException e) {
            throw parts.damaged(e.getMessage());
        }
        int r = runs.stream().mapToInt(Run::count).sum();
        if (r > Math.min(rows, cols)) {
            throw parts.damaged("has rank " + r);
        }
        Map<String, Long> sizes = new HashMap<>();
        sizes.put(S, (long) r);
        for (int g = 0; g < runs.size(); g++) {
            Run run = runs.get(g);
            sizes.put("g" + g + ".u", (long) CodePacking.bytesFor((long) run.count() * rows, run.bits()));
            sizes.put("g" + g + ".v", (long) CodePacking.bytesFor((long) run.count() * cols, run.bits()));
            sizes.put("g" + g + ".u_scale", run.count() * ceilDiv(rows, groupSize));
            sizes.put("g" + g + ".v_scale", run.count() * ceilDiv(cols, groupSize));
        }
        return factors(LinearAlgebra.get(), runs, rows, cols, (name, dtype) -> parts.part(name, dtype, sizes.get(name)));
    }

    /** Rounds a non-negative step up to the nearest F16 at or above it, so the quantizer's range covers max|x|. */
    static short stepUp(float step) {
        short h = Fp16.fromFloat(step);
        while (Fp16.toFloat(h) < step) {
            h++;
        }
        return h;
    }

    /** Quantizes the vectors of one run, in order, straight into packed codes and per-group F16 steps. */
    static final class Quantized {
        private final int length;
        private final int bits;
        private final int groupSize;
        private final int groups;
        private final CodePacking.Writer codes;
        private final short[] steps;
        private int next;

        Quantized(int vectors, int length, int bits, int groupSize) {
            this.length = length;
            this.bits = bits;
            this.groupSize = groupSize;
            this.groups = (int) ceilDiv(length, groupSize);
            this.codes = new CodePacking.Writer((long) vectors * length, bits);
            this.steps = new short[Math.multiplyExact(vectors, groups)];
        }

        /** Quantizes vector {@code vector}; vectors must come in order 0, 1, 2, … */
        void quantize(int vector, float[] x) {
            if (vector != next++) {
                throw new IllegalStateException("vector " + vector + " out of order");
            }
            int half = 1 << (bits - 1);
            for (int g = 0; g < groups; g++) {
                int from = g * groupSize;
                int to = Math.min(length, from + groupSize);
                float max = 0;
                for (int i = from; i < to; i++) {
                    max = Math.max(max, Math.abs(x[i]));
                }
                short h = stepUp(max / half);
                steps[vector * groups + g] = h;
                float step = Fp16.toFloat(h);
                for (int i = from; i < to; i++) {
                    int q = step == 0 ? 0 : (int) Math.floor(x[i] / step);
                    codes.add(Math.max(-half, Math.min(half - 1, q)) + half);
                }
            }
        }

        List<DeltaPart> parts(String name) {
            byte[] packed = codes.finish();
            byte[] scale = new byte[steps.length * 2];
            for (int i = 0; i < steps.length; i++) {
                scale[2 * i] = (byte) steps[i];
                scale[2 * i + 1] = (byte) (steps[i] >> 8);
            }
            return List.of(DeltaPart.bytes(name, packed), new DeltaPart(name + "_scale", DType.F16,
                    Shape.of(steps.length / groups, groups), MemorySegment.ofArray(scale)));
        }
    }

    /** Reads vectors of one run back. */
    static final class Dequantizer {
        private final MemorySegment codes;
        private final MemorySegment steps;
        private final int length;
        private final int bits;
        private final int groupSize;
        private final int groups;

        Dequantizer(MemorySegment codes, MemorySegment steps, int length, int bits, int groupSize) {
            this.codes = codes;
            this.steps = steps;
            this.length = length;
            this.bits = bits;
            this.groupSize = groupSize;
            this.groups = (int) ceilDiv(length, groupSize);
        }

        void vector(int vector, float[] out) {
            int half = 1 << (bits - 1);
            for (int g = 0; g < groups; g++) {
                long at = 2L * (vector * (long) groups + g);
                short h = (short) ((steps.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at) & 0xFF)
                        | steps.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at + 1) << 8);
                float step = Fp16.toFloat(h);
                int to = Math.min(length, (g + 1) * groupSize);
                for (int i = g * groupSize; i < to; i++) {
                    int q = CodePacking.get(codes, (long) vector * length + i, bits) - half;
                    out[i] = (q + 0.5f) * step;
                }
            }
        }
    }
}
