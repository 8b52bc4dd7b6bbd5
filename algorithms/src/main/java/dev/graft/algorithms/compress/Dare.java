package dev.graft.algorithms.compress;

import dev.graft.algorithms.random.CounterRng;
import dev.graft.formats.delta.DeltaArtifact;
import dev.graft.formats.delta.DeltaEntry;
import dev.graft.formats.delta.DeltaPart;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.dtype.FloatCodec;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DARE (Yu et al., ICML 2024, arXiv 2311.03099) as a compressor: each delta entry is dropped with probability
 * {@code p} and the survivors rescaled by {@code 1/(1−p)}, so {@code E[Δ̂] = Δ}. The drop decisions come from the
 * counter-based {@link CounterRng} keyed by {@code (seed, tensor name)}: a pure function of the element index, so
 * they are the same for any thread count, and decompression regenerates them instead of reading stored positions.
 * Only the surviving values are stored ({@code values}, in the fine-tune's float dtype: F16 or BF16 as the model,
 * else F32), about {@code (1−p)·n} of them.
 */
public final class Dare implements DeltaCodec {
    public static final String METHOD = "dare";
    public static final double DEFAULT_DROP = 0.9;
    static final String VALUES = "values";

    private final double drop;
    private final long seed;

    /**
     * @param drop probability of dropping each entry, in [0, 1)
     * @param seed the random seed
     */
    public Dare(double drop, long seed) {
        if (!(drop >= 0 && drop < 1)) {
            throw new IllegalArgumentException("dare drop must be in [0, 1), not " + drop);
        }
        this.drop = drop;
        this.seed = seed;
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("drop", Double.toString(drop));
        p.put("seed", Long.toString(seed));
        return p;
    }

    private CounterRng rng(String tensor) {
        return CounterRng.forTensor(seed, tensor, 0);
    }

    /** The dtype the survivors are stored in for a fine-tune of {@code dtype}. */
    static DType valueType(DType dtype) {
        return dtype == DType.BF16 || dtype == DType.F16 ? dtype : DType.F32;
    }

    @Override
    public EncodedDelta encode(MatrixDelta delta) {
        DType type = valueType(delta.dtype());
        FloatCodec codec = FloatCodec.of(type);
        CounterRng rng = rng(delta.name());
        double keepP = 1 - drop;
        float rescale = (float) (1 / keepP);
        int chunk = (int) Math.min(MatrixDelta.CHUNK, Math.max(1, delta.size()));
        boolean[] keep = new boolean[chunk];
        float[] kept = new float[chunk];
        float[] rounded = new float[chunk];
        MemorySegment buf = MemorySegment.ofArray(new byte[chunk * type.byteSize()]);
        byte[] bytes = new byte[chunk * type.byteSize()];
        ByteArrayOutputStream values = new ByteArrayOutputStream();
        double[] sums = new double[2];
        long[] count = new long[1];
        delta.scan((first, d, n) -> {
            rng.fillBernoulli(first, keepP, keep, 0, n);
            int m = 0;
            double sq = 0;
            double err = 0;
            for (int i = 0; i < n; i++) {
                sq += (double) d[i] * d[i];
                if (keep[i]) {
                    kept[m++] = d[i] * rescale;
                } else {
                    err += (double) d[i] * d[i];
                }
            }
            codec.encode(kept, 0, m, buf, 0);
            codec.decode(buf, 0, rounded, 0, m);
            for (int i = 0, j = 0; i < n; i++) {
                if (keep[i]) {
                    double e = d[i] - rounded[j++];
                    err += e * e;
                }
            }
            MemorySegment.copy(buf, 0, MemorySegment.ofArray(bytes), 0, (long) m * type.byteSize());
            values.write(bytes, 0, m * type.byteSize());
            sums[0] += sq;
            sums[1] += err;
            count[0] += m;
        });
        DeltaPart part = new DeltaPart(VALUES, type, Shape.of(count[0]), MemorySegment.ofArray(values.toByteArray()));
        return new EncodedDelta(METHOD, Map.of("kept", Long.toString(count[0])), List.of(part), sums[0], sums[1]);
    }

    @Override
    public DeltaDecoder decoder(DeltaEntry entry, DeltaArtifact artifact) {
        StoredParts parts = new StoredParts(artifact, entry);
        long kept = parts.longAttribute("kept");
        Tensor values = parts.part(VALUES, valueType(entry.spec().dtype()), kept);
        CounterRng rng = rng(entry.name());
        double keepP = 1 - drop;
        long n = parts.size();
        return new DeltaDecoder() {
            private boolean[] keep = new boolean[0];
            private float[] stored = new float[0];
            private long read;

            @Override
            public void addTo(long first, float[] v, int count) {
                if (keep.length < count) {
                    keep = new boolean[count];
                    stored = new float[count];
                }
                rng.fillBernoulli(first, keepP, keep, 0, count);
                int m = 0;
                for (int i = 0; i < count; i++) {
                    m += keep[i] ? 1 : 0;
                }
                if (read + m > kept) {
                    throw parts.damaged("holds " + kept + " values, fewer than the drop mask keeps");
                }
                values.readFloats(read, stored, 0, m);
                read += m;
                for (int i = 0, j = 0; i < count; i++) {
                    if (keep[i]) {
                        v[i] += stored[j++];
                    }
                }
                if (first + count == n && read != kept) {
                    throw parts.damaged("holds " + kept + " values, the drop mask keeps " + read
                            + " (a different seed or drop rate?)");
                }
            }
        };
    }
}
