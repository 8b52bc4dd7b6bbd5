package dev.graft.evaluation.merge;

import dev.graft.evaluation.llama.LlamaFolder;
import dev.graft.evaluation.llama.LlamaWeights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Merges Llama decoders as a user merges real checkpoints: the base and the fine-tunes are written once as Hugging
 * Face {@code LlamaForCausalLM} folders ({@link LlamaFolder}), each {@link MergeSpec} runs through the
 * {@link dev.graft.algorithms.Merge} builder into a folder, and that folder is read back with the same reader {@code graft score} uses.
 */
public final class LlamaMerger {
    private final Path dir;
    private final Path base;
    private final List<Path> fineTunes = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final long seed;
    private final int threads;
    private int merges;

    /**
     * @param dir  a folder this merger owns (its folders are replaced)
     * @param seed the seed of the random methods' draws (DARE, DELLA)
     */
    public LlamaMerger(LlamaWeights base, List<LlamaWeights> fineTunes, Path dir, long seed) {
        this(base, fineTunes, dir, seed, 1);
    }

    /**
     * @param dir     a folder this merger owns (its folders are replaced)
     * @param seed    the seed of the random methods' draws (DARE, DELLA)
     * @param threads tensors merged at once (the merges do not depend on it)
     */
    public LlamaMerger(LlamaWeights base, List<LlamaWeights> fineTunes, Path dir, long seed, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.dir = dir;
        this.seed = seed;
        this.threads = threads;
        this.base = LlamaFolder.write(base, dir.resolve("base"), true);
        for (int i = 0; i < fineTunes.size(); i++) {
            this.fineTunes.add(LlamaFolder.write(fineTunes.get(i), dir.resolve("ft" + i), true));
            this.names.add("ft" + i);
        }
    }

    /** The folder of fine-tune {@code i}, as written. */
    public Path fineTune(int i) {
        return fineTunes.get(i);
    }

    /** The base's folder, as written. */
    public Path base() {
        return base;
    }

    /** Merges the fine-tunes with indices {@code models} with {@code spec} ({@link MergeSpec#run}). */
    public LlamaWeights merge(MergeSpec spec, List<Integer> models) {
        LlamaWeights merged = LlamaFolder.read(spec.run(base, names, fineTunes, models, seed, threads,
                dir.resolve("merged")));
        merges++;
        return merged;
    }

    /** Merges the first {@code count} fine-tunes with {@code spec}. */
    public LlamaWeights merge(MergeSpec spec, int count) {
        return merge(spec, IntStream.range(0, count).boxed().toList());
    }

    /** Merges the fine-tune with index {@code task} alone (e.g. a negation, with a negative weight). */
    public LlamaWeights mergeOne(MergeSpec spec, int task) {
        return merge(spec, List.of(task));
    }

    /** How many merges this merger ran. */
    public int merges() {
        return merges;
    }
}
