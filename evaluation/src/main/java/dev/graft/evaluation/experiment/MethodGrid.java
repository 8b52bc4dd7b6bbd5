package dev.graft.evaluation.experiment;

import dev.graft.evaluation.merge.MergeSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The merge methods compared (every method of Graft's registry that merges any number of fine-tunes onto a base)
 * and the hyper-parameter values tried for each, chosen on the validation split. λ grids follow each method's
 * normalisation: methods that sum task vectors ({@code normalize: false}) need λ below 1, those that average them
 * ({@code normalize: true}, and the spectral methods, which rescale their merged vector) λ around 1.
 * Left out: {@code passthrough} (stacks layers, merges nothing) and the methods defined for two models only
 * ({@code slerp}, {@code nuslerp}, {@code nearswap}, {@code arcee_fusion}).
 */
public final class MethodGrid {
    /** LiNeS betas tried with the paper's automatic alpha; β = 0 with α = 1 (the merge itself) is kept as well. */
    public static final List<Double> AUTO_ALPHA_BETAS = List.of(0.5, 1.0);
    /** LiNeS's fixed alphas tried with β = 1. */
    public static final List<Double> FIXED_ALPHAS = List.of(0.5);

    private static final List<Double> SUM_LAMBDAS = List.of(0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5);
    private static final List<Double> MEAN_LAMBDAS = List.of(0.25, 0.5, 1.0, 1.5, 2.0, 3.0);
    /** λ of the methods that sum pruned or dropped-and-rescaled task vectors. */
    private static final List<Double> PRUNED_SUM_LAMBDAS = List.of(0.1, 0.3, 0.5, 1.0, 1.5);
    /**
     * The shares kept by the methods that drop entries at random or by magnitude rank (DARE, DELLA). The fourth
     * session's run chose the densest of 0.2 / 0.4 / 0.7 in most seeds, so the grid reaches 1 (drop nothing), a
     * bound rather than an edge: a choice of 1 says the method's dropping does not pay here.
     */
    private static final List<Double> KEPT_SHARES = List.of(0.2, 0.4, 0.7, 1.0);
    /** TIES' kept shares: the same reasoning (0.1, tried in that run, was chosen in one of its fifteen seed × task-count choices). */
    private static final List<Double> TIES_SHARES = List.of(0.2, 0.4, 0.7, 1.0);
    /** Breadcrumbs' kept shares (it drops the largest entries as well as the smallest, so it keeps more). */
    private static final List<Double> BREADCRUMBS_SHARES = List.of(0.5, 0.7, 0.9, 1.0);
    /** Methods that are not task-vector methods: LiNeS does not apply to them. */
    private static final Set<String> WITHOUT_LINES = Set.of("model_stock", "karcher", "multislerp");
    /** Every family, in report order (after the grids it is built from). */
    public static final List<String> FAMILIES = List.copyOf(candidates(2).keySet());

    private MethodGrid() {
    }

    /** The candidates of {@code families}, for merges of {@code n} tasks, in report order. */
    public static Map<String, List<MergeSpec>> candidates(int n, List<String> families) {
        Map<String, List<MergeSpec>> all = candidates(n);
        all.keySet().retainAll(families);
        return all;
    }

    /** Every candidate of every family, for merges of {@code n} tasks, in report order. */
    public static Map<String, List<MergeSpec>> candidates(int n) {
        Map<String, List<MergeSpec>> g = new LinkedHashMap<>();
        g.put("averaging", List.of(spec("averaging", "linear", Map.of("weight", 1.0), Map.of())));
        g.put("task_arithmetic", grid("task_arithmetic", "task_arithmetic", List.of(), SUM_LAMBDAS, Map.of()));
        g.put("ties", grid("ties", "ties", TIES_SHARES, MEAN_LAMBDAS, Map.of()));
        g.put("dare_ties", grid("dare_ties", "dare_ties", KEPT_SHARES, MEAN_LAMBDAS, Map.of()));
        g.put("dare_linear", grid("dare_linear", "dare_linear", KEPT_SHARES, PRUNED_SUM_LAMBDAS,
                Map.of()));
        g.put("breadcrumbs", grid("breadcrumbs", "breadcrumbs", BREADCRUMBS_SHARES, PRUNED_SUM_LAMBDAS,
                Map.of()));
        g.put("breadcrumbs_ties", grid("breadcrumbs_ties", "breadcrumbs_ties", BREADCRUMBS_SHARES,
                PRUNED_SUM_LAMBDAS, Map.of()));
        g.put("della", grid("della", "della", KEPT_SHARES, MEAN_LAMBDAS, Map.of("epsilon", 0.1)));
        g.put("della_linear", grid("della_linear", "della_linear", KEPT_SHARES, PRUNED_SUM_LAMBDAS,
                Map.of("epsilon", 0.1)));
        g.put("sce", globals("sce", "sce", "select_topk", List.of(0.1, 0.3, 1.0)));
        g.put("ram", List.of(spec("ram", "ram", Map.of(), Map.of())));
        g.put("ramplus_tl", List.of(spec("ramplus_tl", "ramplus_tl", Map.of(), Map.of())));
        g.put("tsv", globals("tsv", "tsv", "lambda", MEAN_LAMBDAS));
        g.put("iso_c", globals("iso_c", "iso_c", "lambda", MEAN_LAMBDAS));
        g.put("iso_cts", globals("iso_cts", "iso_cts", "lambda", MEAN_LAMBDAS));
        g.put("wudi", List.of(spec("wudi", "wudi", Map.of(), Map.of())));
        g.put("model_stock", List.of(spec("model_stock", "model_stock", Map.of(), Map.of())));
        g.put("karcher", List.of(spec("karcher", "karcher", Map.of("weight", 1.0), Map.of())));
        g.put("multislerp", List.of(spec("multislerp", "multislerp", Map.of("weight", 1.0), Map.of())));
        return g;
    }

    /**
     * The LiNeS variants of a family's chosen merge, or none for the methods that do not merge task vectors: the
     * paper's automatic alpha with several betas, a fixed alpha, and last the merge itself (α = 1, β = 0), so that
     * LiNeS is never worse on validation. λ and density stay as chosen, so a block's scale is λ·(α + β·i/(L−1)).
     * Averaging is expressed as task arithmetic with weights 1/n, its exact equivalent, so that LiNeS can scale it.
     */
    public static List<MergeSpec> withLines(MergeSpec chosen, int n) {
        if (WITHOUT_LINES.contains(chosen.method())) {
            return List.of();
        }
        MergeSpec base = chosen.method().equals("linear")
                ? spec("averaging", "task_arithmetic", Map.of("weight", 1.0 / n), Map.of())
                : chosen;
        List<MergeSpec> variants = new ArrayList<>();
        AUTO_ALPHA_BETAS.forEach(b -> variants.add(base.withLines(OptionalDouble.empty(), b)));
        FIXED_ALPHAS.forEach(a -> variants.add(base.withLines(OptionalDouble.of(a), 1.0)));
        variants.add(base.withLines(OptionalDouble.of(1.0), 0.0));
        return variants;
    }

    /**
     * The hyper-parameters of a chosen merge (as {@link MergeSpec#describe()} writes it, of family {@code family}
     * or its {@code +lines} row) whose value is the smallest or the largest its family's grid tries, so a report can
     * say where a grid should reach further. LiNeS's alpha and beta are not checked (their grid is the paper's), nor a
     * density or top-k share of 1 (it keeps every entry).
     */
    public static List<String> atEdge(String family, String chosen) {
        String plain = family.endsWith("+lines") ? family.substring(0, family.length() - "+lines".length()) : family;
        List<MergeSpec> grid = candidates(2).get(plain);
        if (grid == null) {
            return List.of();
        }
        Map<String, String> picked = parameters(chosen);
        List<String> out = new ArrayList<>();
        picked.forEach((name, value) -> {
            if (name.equals("alpha") || name.equals("beta")) {
                return;
            }
            List<Double> tried = grid.stream().map(c -> parameters(c.describe()).get(name))
                    .filter(Objects::nonNull).map(Double::parseDouble).distinct().sorted().toList();
            double v = Double.parseDouble(value);
            // a density or top-k share of 1 keeps everything: the grid cannot reach further
            boolean bound = v == 1.0 && !name.equals("lambda");
            if (tried.size() > 1 && !bound && (v == tried.getFirst() || v == tried.getLast())) {
                out.add(name + "=" + value);
            }
        });
        return out;
    }

    private static Map<String, String> parameters(String described) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : described.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return out;
    }

    private static List<MergeSpec> grid(String family, String method, List<Double> densities, List<Double> lambdas,
                                        Map<String, Object> extra) {
        List<MergeSpec> specs = new ArrayList<>();
        for (Double density : densities.isEmpty() ? Collections.<Double>singletonList(null) : densities) {
            for (double lambda : lambdas) {
                Map<String, Object> perModel = new LinkedHashMap<>(extra);
                perModel.put("weight", 1.0);
                if (density != null) {
                    perModel.put("density", density);
                }
                specs.add(spec(family, method, perModel, Map.of("lambda", lambda)));
            }
        }
        return specs;
    }

    /** One candidate per value of a global parameter (methods without per-model weights). */
    private static List<MergeSpec> globals(String family, String method, String parameter, List<Double> values) {
        List<MergeSpec> specs = new ArrayList<>();
        for (double v : values) {
            specs.add(spec(family, method, Map.of(), Map.of(parameter, v)));
        }
        return specs;
    }

    private static MergeSpec spec(String family, String method, Map<String, Object> perModel,
                                  Map<String, Object> global) {
        return new MergeSpec(family, method, perModel, global);
    }
}
