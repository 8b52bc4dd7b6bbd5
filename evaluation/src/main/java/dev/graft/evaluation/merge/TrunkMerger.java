package dev.graft.evaluation.merge;

import dev.graft.evaluation.net.Trunk;
import dev.graft.evaluation.net.TrunkShape;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges trunks with Graft's own merge code: the base and the fine-tunes are written once as safetensors files in a
 * work folder, each {@link MergeSpec} runs through the {@link dev.graft.algorithms.Merge} builder (the API behind {@code graft merge})
 * and the merged file is read back.
 */
public final class TrunkMerger {
    private final TrunkShape shape;
    private final Path dir;
    private final Path base;
    private final List<Path> fineTunes;
    private final List<String> names;
    private final long seed;
    private int merges;

    /**
     * @param dir  a folder this merger owns (files are replaced)
     * @param seed the seed of the random methods' draws (DARE, DELLA)
     */
    public TrunkMerger(Trunk base, List<Trunk> fineTunes, Path dir, long seed) {
        this.shape = base.shape();
        this.dir = dir;
        this.seed = seed;
        this.base = TrunkCheckpoint.write(base, dir.resolve("base.safetensors"));
        this.fineTunes = new ArrayList<>();
        this.names = new ArrayList<>();
        for (int i = 0; i < fineTunes.size(); i++) {
            this.fineTunes.add(TrunkCheckpoint.write(fineTunes.get(i), dir.resolve("ft" + i + ".safetensors")));
            this.names.add("ft" + i);
        }
    }

    /** Merges the first {@code count} fine-tunes with {@code spec}. */
    public Trunk merge(MergeSpec spec, int count) {
        return merge(spec, java.util.stream.IntStream.range(0, count).boxed().toList());
    }

    /** Merges the fine-tune with index {@code task} alone (e.g. a negation, with a negative weight). */
    public Trunk mergeOne(MergeSpec spec, int task) {
        return merge(spec, List.of(task));
    }

    /** How many merges this merger ran. */
    public int merges() {
        return merges;
    }

    private Trunk merge(MergeSpec spec, List<Integer> models) {
        Path out = spec.run(base, names, fineTunes, models, seed, dir.resolve("merged.safetensors"));
        merges++;
        return TrunkCheckpoint.read(shape, out);
    }
}
