package dev.graft.testmodels;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * A base model and fine-tunes of it, for merge tests and benchmarks: {@code ft_k = base + Δ_k}, each
 * {@code Δ_k} a low-rank direction plus dense noise plus a few large outliers per matrix ({@link DeltaProfile}),
 * drawn independently per fine-tune, or correlated across them with {@link #shared} (fewer sign conflicts).
 *
 * <pre>{@code
 * FineTuneFamily.Folders f = FineTuneFamily.of(TinyLlama.builder().seed(1).build())
 *         .fineTunes(2).rank(4).noise(0.01).outliers(3).seed(7)
 *         .writeTo(dir);            // dir/base, dir/ft1, dir/ft2
 * }</pre>
 *
 * <p>Everything streams: each fine-tuned tensor regenerates its base values from the base seed, so models of any
 * size are written with a few buffers of memory.
 */
public final class FineTuneFamily {
    private final TinyModel base;
    private int fineTunes = 2;
    private int rank = DeltaProfile.DEFAULT.rank();
    private double lowRankScale = DeltaProfile.DEFAULT.lowRankScale();
    private double noise = DeltaProfile.DEFAULT.noise();
    private int outliers = DeltaProfile.DEFAULT.outliers();
    private double outlierScale = DeltaProfile.DEFAULT.outlierScale();
    private double shared = DeltaProfile.DEFAULT.shared();
    private double changed = DeltaProfile.DEFAULT.changed();
    private long seed;
    private boolean overwrite;

    /**
     * Where a family was written.
     *
     * @param base      the base model's folder
     * @param fineTunes the fine-tunes' folders, {@code ft1} first
     */
    public record Folders(Path base, List<Path> fineTunes) {
        public Folders {
            fineTunes = List.copyOf(fineTunes);
        }
    }

    private FineTuneFamily(TinyModel base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    /** A family of {@code base}, with {@link DeltaProfile#DEFAULT} deltas and 2 fine-tunes unless set otherwise. */
    public static FineTuneFamily of(TinyModel base) {
        return new FineTuneFamily(base);
    }

    /** How many fine-tunes (default 2). */
    public FineTuneFamily fineTunes(int count) {
        this.fineTunes = ModelBuilder.positive("fineTunes", count);
        return this;
    }

    /** Rank of each matrix's structured delta (default 4; 0 for none). */
    public FineTuneFamily rank(int rank) {
        this.rank = rank;
        return this;
    }

    /** Element spread of the low-rank part, in units of the tensor's init spread (default 0.05). */
    public FineTuneFamily lowRankScale(double scale) {
        this.lowRankScale = scale;
        return this;
    }

    /** Element spread of the dense noise, in units of the tensor's init spread (default 0.01). */
    public FineTuneFamily noise(double noise) {
        this.noise = noise;
        return this;
    }

    /** Large entries per matrix (default 4). */
    public FineTuneFamily outliers(int count) {
        this.outliers = count;
        return this;
    }

    /** Size of the outliers, in units of the tensor's init spread (default 1). */
    public FineTuneFamily outlierScale(double scale) {
        this.outlierScale = scale;
        return this;
    }

    /**
     * Correlation ρ in [0, 1] of the fine-tunes' deltas (default 0: independent), which controls their sign
     * conflicts: two fine-tunes agree in sign on about {@code 1/2 + asin(ρ)/π} of the elements (outliers excepted).
     * See {@link DeltaProfile#shared()}.
     */
    public FineTuneFamily shared(double rho) {
        this.shared = rho;
        return this;
    }

    /**
     * Fraction in (0, 1] of each tensor's elements that a fine-tune changes (default 1: all); the rest keep the
     * base value exactly. See {@link DeltaProfile#changed()}.
     */
    public FineTuneFamily changed(double fraction) {
        this.changed = fraction;
        return this;
    }

    /** Seed of the deltas (default 0), independent of the base model's seed. */
    public FineTuneFamily seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Replace existing files (default: refuse). */
    public FineTuneFamily overwrite(boolean overwrite) {
        this.overwrite = overwrite;
        return this;
    }

    /** The delta parameters as set. */
    public DeltaProfile profile() {
        return new DeltaProfile(rank, lowRankScale, noise, outliers, outlierScale, shared, changed);
    }

    /** Writes {@code dir/base} and {@code dir/ft1} … {@code dir/ftN}. */
    public Folders writeTo(Path dir) {
        // Each model is its own pure function of the seeds, so they are written in parallel: the same bytes, and
        // a 750 M-parameter family in a fraction of the time on several cores.
        // Failures are kept per model and the first in folder order is thrown, so which error a user sees does not
        // depend on which thread lost the race (base before ft1 before ft2).
        List<Written> outcomes = IntStream.rangeClosed(0, fineTunes).parallel()
                .mapToObj(k -> Written.of(() -> k == 0 ? base.writeTo(dir.resolve("base"), overwrite)
                        : writeFineTune(k, dir.resolve("ft" + k))))
                .toList();
        List<Path> written = outcomes.stream().map(Written::path).toList();
        return new Folders(written.getFirst(), written.subList(1, written.size()));
    }

    /** One model's write: its folder, or the exception that stopped it, rethrown when the folder is asked for. */
    private record Written(Path folder, RuntimeException failure) {
        static Written of(Supplier<Path> write) {
            try {
                return new Written(write.get(), null);
            } catch (RuntimeException e) {
                return new Written(null, e);
            }
        }

        Path path() {
            if (failure != null) {
                throw failure;
            }
            return folder;
        }
    }

    /** Writes fine-tune {@code k} (1-based) alone into {@code dir}. */
    public Path writeFineTune(int k, Path dir) {
        ModelBuilder.positive("fine-tune index", k);
        DeltaProfile p = profile();
        return CheckpointWriter.write(base, dir, overwrite, t -> new FineTunedValues(t, base.seed(), p, seed, k));
    }
}
