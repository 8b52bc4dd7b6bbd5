package dev.graft.testmodels;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The values of a fine-tuned tensor: the base values, regenerated from the base seed, plus a delta shaped like
 * real fine-tuning deltas.
 *
 * <p>The delta of a tensor viewed as a {@code rows × cols} matrix (a vector is one row) is
 * <pre>
 *   Δ = unit · ( lowRankScale / √r · U·V  +  noise · G )  +  outliers
 * </pre>
 * with {@code U} ({@code rows × r}), {@code V} ({@code r × cols}) and {@code G} standard normal, {@code unit} the
 * tensor's {@link TensorBlueprint#deltaUnit()}, and, in matrices only, a few entries shifted by
 * {@code ±outlierScale · unit}. The {@code 1/√r} keeps the low-rank part's element spread at
 * {@code lowRankScale · unit} whatever the rank. With {@link DeltaProfile#shared()} ρ ≠ 0, {@code U·V} and
 * {@code G} are each {@code √ρ·(family's) + √(1−ρ)·(own)}, the family's drawn from a stream no fine-tune index
 * enters, so that two fine-tunes' deltas correlate with coefficient ρ and keep their spread. With
 * {@link DeltaProfile#changed()} p &lt; 1, each element is changed with probability p (its own uniform stream) and
 * otherwise keeps the base value exactly; outliers are added regardless. Only the factors are held in memory, so tensors of any
 * size stream through.
 */
final class FineTunedValues implements TensorValues {
    private final TensorValues base;
    private final int cols;
    private final int rank;
    private final float[] u;
    private final float[] v;
    /** The family's factors and noise, or null when the fine-tunes are independent. */
    private final float[] sharedU;
    private final float[] sharedV;
    private final GaussianStream sharedNoise;
    private final double sharedWeight;
    private final double ownWeight;
    private final double lowRankFactor;
    private final double noiseStd;
    private final GaussianStream noise;
    private final long[] outlierAt;
    private final float[] outlierValue;
    /** Draws which elements change, or null when all do. */
    private final SplittableRandom changes;
    private final double changed;
    private long position;

    /**
     * @param tensor   the tensor
     * @param baseSeed the seed its base model was generated with
     * @param profile  the family's delta parameters
     * @param seed     the family's seed
     * @param index    which fine-tune (1-based), so that every fine-tune gets its own directions
     */
    FineTunedValues(TensorBlueprint tensor, long baseSeed, DeltaProfile profile, long seed, int index) {
        this.base = new BaseValues(tensor, baseSeed);
        long elements = tensor.shape().elementCount();
        int rows = tensor.shape().rank() >= 2 ? Math.toIntExact(tensor.shape().dim(0)) : 1;
        this.cols = rows == 0 ? 0 : Math.toIntExact(elements / rows);
        this.rank = profile.rank();
        String tag = "ft" + index + "/";
        GaussianStream lowRank = GaussianStream.of(seed, tensor.name(), tag + "lowrank");
        this.u = new float[Math.multiplyExact(rows, rank)];
        this.v = new float[Math.multiplyExact(rank, cols)];
        lowRank.fill(u, 0, u.length, 0, 1);
        lowRank.fill(v, 0, v.length, 0, 1);
        if (profile.shared() != 0) {
            GaussianStream common = GaussianStream.of(seed, tensor.name(), "shared/lowrank");
            this.sharedU = new float[u.length];
            this.sharedV = new float[v.length];
            common.fill(sharedU, 0, sharedU.length, 0, 1);
            common.fill(sharedV, 0, sharedV.length, 0, 1);
            this.sharedNoise = GaussianStream.of(seed, tensor.name(), "shared/noise");
        } else {
            this.sharedU = null;
            this.sharedV = null;
            this.sharedNoise = null;
        }
        this.sharedWeight = Math.sqrt(profile.shared());
        this.ownWeight = Math.sqrt(1 - profile.shared());
        this.lowRankFactor = rank == 0 ? 0 : profile.lowRankScale() * tensor.deltaUnit() / Math.sqrt(rank);
        this.noiseStd = profile.noise() * tensor.deltaUnit();
        this.noise = GaussianStream.of(seed, tensor.name(), tag + "noise");

        this.changed = profile.changed();
        this.changes = changed < 1 ? GaussianStream.randomFor(seed, tensor.name(), tag + "changed") : null;

        int outliers = tensor.isMatrix() ? (int) Math.min(profile.outliers(), elements) : 0;
        SplittableRandom random = GaussianStream.randomFor(seed, tensor.name(), tag + "outliers");
        this.outlierAt = distinctPositions(random, outliers, elements);
        this.outlierValue = new float[outliers];
        double magnitude = profile.outlierScale() * tensor.deltaUnit();
        for (int i = 0; i < outliers; i++) {
            outlierValue[i] = (float) (random.nextBoolean() ? magnitude : -magnitude);
        }
    }

    /** {@code n} distinct positions below {@code bound}, ascending. */
    private static long[] distinctPositions(SplittableRandom random, int n, long bound) {
        long[] out = new long[n];
        int found = 0;
        while (found < n) {
            long p = random.nextLong(bound);
            boolean fresh = true;
            for (int i = 0; i < found && fresh; i++) {
                fresh = out[i] != p;
            }
            if (fresh) {
                out[found++] = p;
            }
        }
        Arrays.sort(out);
        return out;
    }

    @Override
    public void next(float[] dst, int count) {
        base.next(dst, count);
        for (int i = 0; i < count; i++) {
            if (changes != null && changes.nextDouble() >= changed) {
                continue; // this element keeps its base value; no noise is drawn for it
            }
            long idx = position + i;
            int row = (int) (idx / cols);
            int col = (int) (idx % cols);
            double lr = 0;
            for (int k = 0; k < rank; k++) {
                lr += (double) u[row * rank + k] * v[k * cols + col];
            }
            if (sharedU == null) {
                dst[i] = (float) (dst[i] + lowRankFactor * lr + noiseStd * noise.next());
                continue;
            }
            double common = 0;
            for (int k = 0; k < rank; k++) {
                common += (double) sharedU[row * rank + k] * sharedV[k * cols + col];
            }
            double mixedLowRank = sharedWeight * common + ownWeight * lr;
            double mixedNoise = sharedWeight * sharedNoise.next() + ownWeight * noise.next();
            dst[i] = (float) (dst[i] + lowRankFactor * mixedLowRank + noiseStd * mixedNoise);
        }
        for (int k = 0; k < outlierAt.length; k++) {
            if (outlierAt[k] >= position && outlierAt[k] < position + count) {
                dst[(int) (outlierAt[k] - position)] += outlierValue[k];
            }
        }
        position += count;
    }
}
