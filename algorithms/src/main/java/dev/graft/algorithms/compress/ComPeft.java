package dev.graft.algorithms.compress;

import dev.graft.algorithms.select.KeyCompare;
import dev.graft.algorithms.select.MagnitudeKey;
import dev.graft.algorithms.select.MagnitudeTopK;
import dev.graft.algorithms.simd.GatherLanes;
import dev.graft.algorithms.simd.Simd;
import dev.graft.formats.delta.DeltaArtifact;
import dev.graft.formats.delta.DeltaEntry;
import dev.graft.formats.delta.DeltaPart;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;

import java.util.List;
import java.util.Map;

/**
 * ComPEFT (Yadav et al., arXiv 2311.13171): keep the {@code k = ⌊density·n⌋} entries of largest |Δ| (exact radix
 * top-k, ties to the lower index) and replace each by {@code ±α·σ}, σ the standard deviation of the whole delta
 * (unbiased, as torch's {@code std}), computed before pruning. Everything else becomes 0.
 *
 * <p>{@code alpha = auto} picks the α minimising {@code ‖Δ − Δ̂‖} for the kept signs, i.e. the kept magnitudes'
 * mean; a number fixes it as the paper's tuned {@code replace_factor}. The paper's scope is the whole model's
 * delta; Graft works per matrix, so every matrix has its own σ and k (streaming, and no matrix is left empty).
 *
 * <p>Stored: {@code positions} (U8: varint gaps or a bitmap, whichever is smaller, attribute {@code positions}),
 * {@code signs} (U8, one bit per kept entry in index order, 1 = positive) and {@code scale} (F32 [1], α·σ).
 */
public final class ComPeft implements DeltaCodec {
    public static final String METHOD = "compeft";
    /** Default fraction of entries kept. */
    public static final double DEFAULT_DENSITY = 0.1;
    static final String POSITIONS = "positions";
    static final String SIGNS = "signs";
    static final String SCALE = "scale";
    /**
     * Matrices up to this many elements are read from the models once and kept in a per-thread buffer for the
     * later passes: at most an eighth of the heap shared by all cores, and 64 Mi elements (256 MiB).
     */
    static final long CACHE_ELEMENTS = Math.min(64L << 20,
            Runtime.getRuntime().maxMemory() / 8 / Float.BYTES / Runtime.getRuntime().availableProcessors());
    private static final ThreadLocal<float[]> CACHE = ThreadLocal.withInitial(() -> new float[0]);

    private final double density;
    /** NaN for auto. */
    private final double alpha;
    private final long cacheElements;

    /**
     * @param density fraction of entries kept, in [0, 1]
     * @param alpha   the multiple of σ every kept entry becomes, {@code > 0}; NaN for the L2-optimal value
     */
    public ComPeft(double density, double alpha) {
        this(density, alpha, CACHE_ELEMENTS);
    }

    /** With a cache limit of its own: 0 makes every pass read the models (tests). */
    ComPeft(double density, double alpha, long cacheElements) {
        if (!(density >= 0 && density <= 1)) {
            throw new IllegalArgumentException("compeft density must be in [0, 1], not " + density);
        }
        if (!Double.isNaN(alpha) && !(alpha > 0 && Double.isFinite(alpha))) {
            throw new IllegalArgumentException("compeft alpha must be positive (or auto), not " + alpha);
        }
        this.density = density;
        this.alpha = alpha;
        this.cacheElements = cacheElements;
    }

    static ComPeft fromParameters(Map<String, String> p) {
        return new ComPeft(CodecParameters.number(p, "density"),
                "auto".equals(p.get("alpha")) ? Double.NaN : CodecParameters.number(p, "alpha"));
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public Map<String, String> parameters() {
        return new CodecParameters().put("density", density)
                .put("alpha", Double.isNaN(alpha) ? "auto" : Double.toString(alpha)).toMap();
    }

    @Override
    public EncodedDelta encode(MatrixDelta delta) {
        long n = delta.size();
        long k = (long) (density * n);
        MagnitudeTopK top = MagnitudeTopK.of(n, k);
        float[] all = null;
        if (n <= cacheElements) {
            all = CACHE.get();
            if (all.length < n) {
                all = new float[(int) n];
                CACHE.set(all);
            }
        }
        double[] sums = new double[2];
        MatrixDelta.RangeVisitor firstPass = (f, v, from, count) -> {
            ChunkSums.addSumAndSquares(v, from, count, sums);
            if (top.needsPass()) {
                top.accept(v, from, count);
            }
        };
        if (all != null) {
            delta.readInto(all, firstPass);
        } else {
            delta.scan((f, d, count) -> firstPass.visit(f, d, 0, count));
        }
        if (top.needsPass()) {
            top.endPass();
        }
        while (top.needsPass()) {
            pass(delta, all, (f, v, from, count) -> top.accept(v, from, count));
            top.endPass();
        }
        SparsePositions.Encoder positions = new SparsePositions.Encoder(n);
        PackedBits.Writer signs = new PackedBits.Writer(k);
        double[] kept = new double[1];
        if (k > 0) {
            // The selection's cut, applied here rather than through its KeepMask so that the keep decision and
            // gathering the kept offsets are one branch-free loop: keys above the cut are kept, and of the keys
            // equal to it the first `quota` in index order (the mask's rule).
            int cut = k >= n ? -1 : top.threshold().key();
            long quota = k >= n ? 0 : k - (n - top.threshold().below() - top.threshold().tied());
            long[] ties = new long[1];
            int chunk = (int) Math.min(MatrixDelta.CHUNK, Math.max(1, n));
            boolean vectors = Simd.active();
            int[] index = new int[chunk + (vectors ? GatherLanes.slack() : 0)];
            int[] flags = vectors ? null : new int[chunk];
            boolean finite = k < n && top.allFinite();
            pass(delta, all, (first, v, from, count) -> {
                long tied = ties[0];
                long gathered;
                if (tied >= quota || tied + count <= quota) {
                    // Every tie in this chunk gets the same answer (most chunks): one comparison against a bound
                    // that includes or excludes the cut, the ties only counted.
                    int bound = tied < quota ? cut - 1 : cut;
                    float least = MagnitudeTopK.leastAbove(bound);
                    float tie = Float.intBitsToFloat(cut);
                    if (!finite) {
                        gathered = gatherSettled(v, from, count, bound, cut, index);
                    } else if (vectors) {
                        gathered = GatherLanes.atLeast(v, from, count, least, tie, index);
                    } else {
                        gathered = gatherFinite(v, from, count, least, tie, flags, index);
                    }
                } else {
                    gathered = gatherAtQuota(v, from, count, cut, quota - tied, index);
                }
                int m = (int) gathered;
                ties[0] = tied + (gathered >>> 32);
                kept[0] += encodeKept(v, from, first, index, m, positions, signs);
            });
        }
        long kk = positions.count();
        double sigma = n < 2 ? 0 : Math.sqrt(Math.max(0, (sums[1] - sums[0] * sums[0] / n) / (n - 1)));
        float scale = kk == 0 ? 0 : (float) (Double.isNaN(alpha) ? kept[0] / kk : alpha * sigma);
        // ‖Δ − Δ̂‖² = Σ Δ² − 2c Σ_kept |Δ| + k c²: dropped entries contribute Δ², kept ones (|Δ| − c)².
        double err = sums[1] - 2.0 * scale * kept[0] + (double) scale * scale * kk;
        Map<String, String> attrs = Map.of(POSITIONS, positions.encoding(), "kept", Long.toString(kk));
        return new EncodedDelta(METHOD, attrs, List.of(DeltaPart.bytes(POSITIONS, positions.bytes()),
                DeltaPart.bytes(SIGNS, signs.toArray()), DeltaPart.floats(SCALE, Shape.of(1), new float[] {scale})),
                sums[1], err);
    }

    // The hot loops are static methods given every bound as an argument: C2 compiles them far better than the
    // same loops in a lambda reading captured fields. They gather, so they are scalar whatever their form; they
    // read the floats through the array, not through a segment over it, whose accesses C2 leaves as calls in
    // this context (see dev.graft.algorithms.select.MaskLoops).

    /**
     * Gathers into {@code index} the offsets in {@code [0, count)} of the elements whose magnitude key is above
     * {@code bound}, and counts those whose key equals {@code cut}.
     *
     * @return the tie count in the high 32 bits, the number gathered in the low 32
     */
    private static long gatherSettled(float[] values, int from, int count, int bound, int cut, int[] index) {
        int m = 0;
        int seen = 0;
        for (int i = 0; i < count; i++) {
            int key = MagnitudeKey.of(values[from + i]);
            index[m] = i;
            m += KeyCompare.above(key, bound);
            seen += KeyCompare.equal(key, cut);
        }
        return (long) seen << 32 | m;
    }

    /**
     * {@link #gatherSettled} for finite values, in two loops: the keep flags and tie count from float comparisons,
     * which C2 vectorises, then a gather that only adds the flags up (1.3 ns per element for the one-loop form
     * inside {@code graft bench compress}).
     *
     * @param least the least kept magnitude ({@link MagnitudeTopK#leastAbove} of the bound)
     * @param tie   the cut's magnitude
     */
    static long gatherFinite(float[] values, int from, int count, float least, float tie, int[] flags,
                             int[] index) {
        int seen = 0;
        for (int i = 0; i < count; i++) {
            float magnitude = Math.abs(values[from + i]);
            // signum(|x| − least) + 1, capped at 1: 1 when |x| >= least, else 0; equality likewise from signum.
            flags[i] = (int) Math.min(Math.signum(magnitude - least) + 1f, 1f);
            seen += (int) (1f - Math.abs(Math.signum(magnitude - tie)));
        }
        int m = 0;
        for (int i = 0; i < count; i++) {
            index[m] = i;
            m += flags[i];
        }
        return (long) seen << 32 | m;
    }

    /**
     * As {@link #gatherSettled} for the chunk where the tie quota runs out: keys above {@code cut}, and the first
     * {@code quotaLeft} keys equal to it.
     */
    private static long gatherAtQuota(float[] values, int from, int count, int cut, long quotaLeft, int[] index) {
        int m = 0;
        long seen = 0;
        for (int i = 0; i < count; i++) {
            int key = MagnitudeKey.of(values[from + i]);
            int tie = KeyCompare.equal(key, cut);
            index[m] = i;
            m += KeyCompare.above(key, cut) | tie & (int) ((seen - quotaLeft) >>> 63);
            seen += tie;
        }
        return seen << 32 | m;
    }

    /** Appends the gathered elements' positions and signs; returns the sum of their magnitudes. */
    private static double encodeKept(float[] values, int from, long first, int[] index, int m,
                                     SparsePositions.Encoder positions, PackedBits.Writer signs) {
        double abs = 0;
        for (int j = 0; j < m; j++) {
            int i = index[j];
            float x = values[from + i];
            positions.add(first + i);
            signs.add(x >= 0);
            abs += Math.abs(x);
        }
        return abs;
    }

    /** A later pass: straight over the kept copy of the delta when there is one, else another read of the models. */
    private static void pass(MatrixDelta delta, float[] all, MatrixDelta.RangeVisitor range) {
        if (all == null) {
            delta.scan((first, d, count) -> range.visit(first, d, 0, count));
            return;
        }
        long n = delta.size();
        for (int first = 0; first < n; first += MatrixDelta.CHUNK) {
            range.visit(first, all, first, (int) Math.min(MatrixDelta.CHUNK, n - first));
        }
    }

    @Override
    public DeltaDecoder decoder(DeltaEntry entry, DeltaArtifact artifact) {
        StoredParts parts = new StoredParts(artifact, entry);
        long n = parts.size();
        long kept = parts.longAttribute("kept");
        if (kept < 0 || kept > n) {
            throw parts.damaged("keeps " + kept + " of " + n + " elements");
        }
        String encoding = parts.attribute(POSITIONS);
        // Both are a fraction of the tensor's size: read into arrays once, then decoded without bounds-checked
        // segment accesses per element.
        byte[] pos = parts.part(POSITIONS, DType.U8,
                SparsePositions.BITMAP.equals(encoding) ? PackedBits.bytesFor(n) : -1).data()
                .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        byte[] signs = parts.part(SIGNS, DType.U8, PackedBits.bytesFor(kept)).data()
                .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        float scale = parts.scalar(SCALE);
        SparsePositions.Reader reader;
        try {
            reader = new SparsePositions.Reader(encoding, pos, n);
        } catch (IllegalArgumentException e) {
            throw parts.damaged(e.getMessage());
        }
        return new DeltaDecoder() {
            private long next = advance();
            private long seen;

            private long advance() {
                try {
                    return reader.next();
                } catch (IllegalArgumentException e) {
                    throw parts.damaged("positions: " + e.getMessage());
                }
            }

            @Override
            public void addTo(long first, float[] values, int count) {
                long end = first + count;
                while (next >= 0 && next < end) {
                    if (seen >= kept) {
                        throw parts.damaged("positions list more than the " + kept + " kept entries");
                    }
                    values[(int) (next - first)] += PackedBits.get(signs, seen++) ? scale : -scale;
                    next = advance();
                }
                if (end == n && seen != kept) {
                    throw parts.damaged("positions list " + seen + " of the " + kept + " kept entries");
                }
            }
        };
    }
}
