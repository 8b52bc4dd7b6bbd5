package dev.graft.evaluation.experiment;

import dev.graft.evaluation.merge.MergeSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The merge methods compared and the hyper-parameter values tried for each (chosen on the validation split).
 * λ grids follow each method's normalisation: methods that sum task vectors ({@code normalize: false}) need
 * λ below 1, those that average them ({@code normalize: true}) λ around 1 and above.
 */
public final class MethodGrid {
    /** The method families in report order. */
    public static final List<String> FAMILIES = List.of("averaging", "task_arithmetic", "ties", "dare_ties",
            "breadcrumbs", "della", "model_stock");
    /** LiNeS betas tried with the paper's automatic alpha. */
    public static final List<Double> AUTO_ALPHA_BETAS = List.of(0.25, 0.5, 1.0);
    /** LiNeS alphas and betas tried as fixed values (α = 1, β = 0 is the merge without LiNeS). */
    public static final List<Double> FIXED_ALPHAS = List.of(0.5, 1.0);
    public static final List<Double> FIXED_BETAS = List.of(0.0, 0.5, 1.0);

    private static final List<Double> SUM_LAMBDAS = List.of(0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0);
    private static final List<Double> MEAN_LAMBDAS = List.of(0.1, 0.2, 0.3, 0.5, 0.8, 1.0, 1.3);

    private MethodGrid() {
    }

    /** Every candidate of every family, for merges of {@code n} tasks. */
    public static Map<String, List<MergeSpec>> candidates(int n) {
        Map<String, List<MergeSpec>> g = new LinkedHashMap<>();
        g.put("averaging", List.of(spec("averaging", "linear", Map.of("weight", 1.0), Map.of())));
        g.put("task_arithmetic", grid("task_arithmetic", "task_arithmetic", List.of(), SUM_LAMBDAS, Map.of()));
        g.put("ties", grid("ties", "ties", List.of(0.2, 0.5), MEAN_LAMBDAS, Map.of()));
        g.put("dare_ties", grid("dare_ties", "dare_ties", List.of(0.3, 0.6), MEAN_LAMBDAS, Map.of()));
        g.put("breadcrumbs", grid("breadcrumbs", "breadcrumbs", List.of(0.6, 0.9),
                List.of(0.02, 0.05, 0.1, 0.2, 0.3, 0.5), Map.of()));
        g.put("della", grid("della", "della", List.of(0.3, 0.6), MEAN_LAMBDAS, Map.of("epsilon", 0.1)));
        g.put("model_stock", List.of(spec("model_stock", "model_stock", Map.of(), Map.of())));
        return g;
    }

    /**
     * The LiNeS variants of a family's chosen merge, or none for model stock (Graft applies LiNeS to task-vector
     * methods only): the paper's automatic alpha with several betas, and fixed alphas and betas (which include the
     * merge itself, α = 1 and β = 0, so that LiNeS is never worse on validation). λ and density stay as chosen, so a
     * block's scale is λ·(α + β·i/(L−1)). Averaging is expressed as task arithmetic with weights 1/n, its exact
     * equivalent, so that LiNeS can scale it.
     */
    public static List<MergeSpec> withLines(MergeSpec chosen, int n) {
        if (chosen.method().equals("model_stock")) {
            return List.of();
        }
        MergeSpec base = chosen.method().equals("linear")
                ? spec("averaging", "task_arithmetic", Map.of("weight", 1.0 / n), Map.of())
                : chosen;
        List<MergeSpec> variants = new ArrayList<>();
        AUTO_ALPHA_BETAS.forEach(b -> variants.add(base.withLines(OptionalDouble.empty(), b)));
        for (double a : FIXED_ALPHAS) {
            FIXED_BETAS.forEach(b -> variants.add(base.withLines(OptionalDouble.of(a), b)));
        }
        return variants;
    }

    private static List<MergeSpec> grid(String family, String method, List<Double> densities, List<Double> lambdas,
                                        Map<String, Object> extra) {
        List<MergeSpec> specs = new ArrayList<>();
        for (Double density : densities.isEmpty() ? java.util.Collections.<Double>singletonList(null) : densities) {
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

    private static MergeSpec spec(String family, String method, Map<String, Object> perModel,
                                  Map<String, Object> global) {
        return new MergeSpec(family, method, perModel, global);
    }
}
