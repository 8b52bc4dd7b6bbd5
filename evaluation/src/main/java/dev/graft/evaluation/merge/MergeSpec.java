package dev.graft.evaluation.merge;

import dev.graft.algorithms.Merge;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One merge to try: a Graft method with the per-model parameters every fine-tune gets, the global parameters and
 * an optional LiNeS setting.
 *
 * @param family     the row of the results it belongs to ({@code "ties"}, {@code "averaging"} …)
 * @param method     Graft's method name
 * @param perModel   parameters given to every fine-tune ({@code weight}, {@code density} …)
 * @param global     global parameters ({@code lambda} …)
 * @param linesBeta  LiNeS's beta; empty for no LiNeS
 * @param linesAlpha LiNeS's alpha; empty for the paper's automatic alpha (when {@code linesBeta} is present)
 */
public record MergeSpec(String family, String method, Map<String, Object> perModel, Map<String, Object> global,
                        OptionalDouble linesBeta, OptionalDouble linesAlpha) {
    public MergeSpec {
        perModel = Map.copyOf(perModel);
        global = Map.copyOf(global);
    }

    /** A merge without LiNeS. */
    public MergeSpec(String family, String method, Map<String, Object> perModel, Map<String, Object> global) {
        this(family, method, perModel, global, OptionalDouble.empty(), OptionalDouble.empty());
    }

    /**
     * The same merge with LiNeS, reported under {@code family + "+lines"}.
     *
     * @param alpha the scale of the first block and of tensors outside blocks; empty for the paper's automatic alpha
     * @param beta  the extra scale of the last block
     */
    public MergeSpec withLines(OptionalDouble alpha, double beta) {
        return new MergeSpec(family + "+lines", method, perModel, global, OptionalDouble.of(beta), alpha);
    }

    /**
     * A {@link Merge} builder for this spec: the method, the global parameters and LiNeS, base and models still to
     * add ({@link #perModel()} is what each one gets).
     */
    public Merge builder() {
        Merge m = Merge.method(method);
        global.forEach(m::set);
        if (linesBeta.isPresent()) {
            double beta = linesBeta.getAsDouble();
            if (linesAlpha.isPresent()) {
                m.lines(linesAlpha.getAsDouble(), beta);
            } else {
                m.linesAutoAlpha(beta);
            }
        }
        return m;
    }

    /**
     * Runs this merge of {@code models} (by index into {@code names} and {@code paths}) onto {@code base} into
     * {@code out}, replacing it. Models are named, not identified by path, so that DARE's and DELLA's draws under
     * {@code seed} do not depend on the folder. {@code threads} tensors are merged at once; the output does not
     * depend on the thread count.
     *
     * @return {@code out}
     */
    public Path run(Path base, List<String> names, List<Path> paths, List<Integer> models, long seed, int threads,
                    Path out) {
        Merge m = builder().base("base", base).seed(seed).threads(threads).overwrite(true);
        for (int k : models) {
            m.add(names.get(k), paths.get(k), perModel);
        }
        m.write(out);
        return out;
    }

    /** The hyper-parameters as one short line, for the report ({@code "density=0.2 lambda=1.0"}). */
    public String describe() {
        Map<String, Object> all = new LinkedHashMap<>();
        perModel.entrySet().stream().filter(e -> !e.getKey().equals("weight")).sorted(Map.Entry.comparingByKey())
                .forEach(e -> all.put(e.getKey(), e.getValue()));
        global.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> all.put(e.getKey(), e.getValue()));
        linesBeta.ifPresent(b -> {
            all.put("alpha", linesAlpha.isPresent() ? linesAlpha.getAsDouble() : "auto");
            all.put("beta", b);
        });
        StringBuilder s = new StringBuilder();
        all.forEach((k, v) -> s.append(s.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return s.isEmpty() ? "-" : s.toString();
    }
}
