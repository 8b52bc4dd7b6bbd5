package dev.graft.algorithms.compress;

import dev.graft.formats.delta.DeltaArtifact;
import dev.graft.formats.delta.DeltaEntry;
import dev.graft.formats.delta.DeltaPart;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.dtype.FloatCodec;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.Matrix;
import dev.graft.linalg.RandomizedSvdOptions;
import dev.graft.linalg.Svd;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain low-rank compression (the PHLoRA path, Vasani et al., arXiv 2509.10971): the rank-r truncated SVD
 * {@code Δ ≈ U_r S_r V_rᵀ}, stored as the LoRA-style factors {@code B = U_r √S_r} ({@code b}, BF16 rows × r) and
 * {@code A = √S_r V_rᵀ} ({@code a}, BF16 r × cols), so {@code Δ̂ = B·A}. The SVD is randomized (Halko–Martinsson–
 * Tropp, oversampling 10, 2 power iterations) unless r is close to full rank, where it is exact.
 *
 * <p>r is either fixed ({@code rank}) or the largest whose factors fit a budget of {@code bits-per-param} bits per
 * element of the matrix: {@code r = ⌊budget · rows · cols / (16 · (rows + cols))⌋}.
 */
public final class LowRank implements DeltaCodec {
    public static final String METHOD = "lowrank";
    static final String B = "b";
    static final String A = "a";

    private final int rank;
    private final double bitsPerParam;
    private final long seed;

    private LowRank(int rank, double bitsPerParam, long seed) {
        this.rank = rank;
        this.bitsPerParam = bitsPerParam;
        this.seed = seed;
    }

    /** Each matrix at rank {@code rank} (or its full rank, if smaller). */
    public static LowRank ofRank(int rank, long seed) {
        if (rank < 1) {
            throw new IllegalArgumentException("lowrank rank must be at least 1, not " + rank);
        }
        return new LowRank(rank, 0, seed);
    }

    /** Each matrix at the largest rank whose BF16 factors take at most {@code bitsPerParam} bits per element. */
    public static LowRank ofBudget(double bitsPerParam, long seed) {
        if (!(bitsPerParam > 0 && bitsPerParam <= 32)) {
            throw new IllegalArgumentException("lowrank bits per parameter must be in (0, 32], not " + bitsPerParam);
        }
        return new LowRank(0, bitsPerParam, seed);
    }

    static LowRank fromParameters(Map<String, String> p) {
        long seed = (long) DeltaCodecs.number(p, "seed");
        return p.containsKey("rank") ? ofRank((int) DeltaCodecs.number(p, "rank"), seed)
                : ofBudget(DeltaCodecs.number(p, "bits-per-param"), seed);
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        if (rank > 0) {
            p.put("rank", Integer.toString(rank));
        } else {
            p.put("bits-per-param", Double.toString(bitsPerParam));
        }
        p.put("seed", Long.toString(seed));
        return p;
    }

    /** The rank used for a rows × cols matrix. */
    int rankFor(int rows, int cols) {
        int r = rank > 0 ? rank : (int) Math.floor(bitsPerParam * rows * cols / (16.0 * (rows + cols)));
        return Math.max(0, Math.min(r, Math.min(rows, cols)));
    }

    @Override
    public EncodedDelta encode(MatrixDelta delta) {
        int rows = delta.rows();
        int cols = delta.cols();
        int r = rankFor(rows, cols);
        LinearAlgebra la = LinearAlgebra.get();
        float[] b = new float[rows * r];
        float[] a = new float[r * cols];
        if (r > 0) {
            try (Matrix d = delta.toMatrix(la);
                 Svd svd = la.randomizedSvd(d, new RandomizedSvdOptions(r, RandomizedSvdOptions.DEFAULT_OVERSAMPLING,
                         RandomizedSvdOptions.DEFAULT_POWER_ITERATIONS, seed))) {
                float[] s = svd.s();
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < r; j++) {
                        b[i * r + j] = svd.u().get(i, j) * (float) Math.sqrt(s[j]);
                    }
                }
                for (int j = 0; j < r; j++) {
                    float sq = (float) Math.sqrt(s[j]);
                    for (int k = 0; k < cols; k++) {
                        a[j * cols + k] = sq * svd.vt().get(j, k);
                    }
                }
            }
        }
        DeltaPart bPart = bf16(B, Shape.of(rows, r), b);
        DeltaPart aPart = bf16(A, Shape.of(r, cols), a);
        double[] sums = Reconstruction.error(delta, decoder(la, bPart, aPart, rows, r, cols));
        return new EncodedDelta(METHOD, Map.of("rank", Integer.toString(r)), List.of(bPart, aPart), sums[0], sums[1]);
    }

    private static DeltaPart bf16(String name, Shape shape, float[] values) {
        MemorySegment seg = MemorySegment.ofArray(new byte[values.length * 2]);
        FloatCodec.of(DType.BF16).encode(values, 0, values.length, seg, 0);
        return new DeltaPart(name, DType.BF16, shape, seg);
    }

    private static DeltaDecoder decoder(LinearAlgebra la, DeltaPart b, DeltaPart a, int rows, int r, int cols) {
        if (r == 0) {
            return (first, values, count) -> { };
        }
        return new FactorProduct(la, Reconstruction.matrix(la, new Tensor(b.spec("b"), b.data()), rows, r),
                Reconstruction.matrix(la, new Tensor(a.spec("a"), a.data()), r, cols));
    }

    @Override
    public DeltaDecoder decoder(DeltaEntry entry, DeltaArtifact artifact) {
        StoredParts parts = new StoredParts(artifact, entry);
        int rows = Math.toIntExact(entry.spec().shape().dim(0));
        int cols = Math.toIntExact(entry.spec().shape().dim(1));
        int r = (int) parts.longAttribute("rank");
        if (r < 0 || r > Math.min(rows, cols)) {
            throw parts.damaged("has rank " + r);
        }
        LinearAlgebra la = LinearAlgebra.get();
        Tensor b = parts.part(B, DType.BF16, (long) rows * r);
        Tensor a = parts.part(A, DType.BF16, (long) r * cols);
        if (r == 0) {
            return (first, values, count) -> { };
        }
        return new FactorProduct(la, Reconstruction.matrix(la, b, rows, r), Reconstruction.matrix(la, a, r, cols));
    }
}
