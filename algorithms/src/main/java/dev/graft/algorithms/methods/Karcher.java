package dev.graft.algorithms.methods;

import dev.graft.algorithms.kernels.KarcherKernel;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.ParameterDef;
import dev.graft.core.plan.Vocabulary;

import java.util.List;
import java.util.Map;

/**
 * {@code karcher}: the weighted Karcher mean {@code argmin_u Σ aᵢ d(u, uᵢ)²} of the models' directions
 * {@code uᵢ = θᵢ/‖θᵢ‖} on the unit sphere (geodesic distance d), found by at most {@code max_iter} fixed-point
 * steps, times the weighted mean norm {@code Σ aᵢ‖θᵢ‖}, with {@code aᵢ = wᵢ/Σwⱼ} ({@link KarcherKernel}). mergekit
 * ignores weights ({@code aᵢ = 1/N}); the default weight 1 reproduces it. Wang, Ye, Yin, Functionality-Oriented
 * LLM Merging on the Fisher-Rao Manifold, arXiv:2603.04972; Karcher, Riemannian center of mass and mollifier
 * smoothing, CPAM 1977.
 */
public final class Karcher implements MergeMethod {
    @Override
    public String name() {
        return "karcher";
    }

    @Override
    public String summary() {
        return "weighted Riemannian (Karcher) mean of the models' directions, times their mean norm";
    }

    @Override
    public String citation() {
        return "Wang, Ye, Yin, Functionality-Oriented LLM Merging on the Fisher-Rao Manifold, arXiv:2603.04972";
    }

    @Override
    public BaseModel baseModel() {
        // mergekit counts a base as one more model to average; so does Graft.
        return BaseModel.OPTIONAL_INPUT;
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of(
                ParameterDef.count("max_iter", 10, "most fixed-point iterations"),
                ParameterDef.numberAtLeast("tol", 1e-5, 0, "stop when the step is shorter; norms and angles below it count as 0"));
    }

    @Override
    public List<ParameterDef> modelParameters() {
        return List.of(ParameterDef.numberAtLeast("weight", 1.0, 0,
                "the model's weight in the mean (Graft's addition: mergekit weighs every model equally)"));
    }

    @Override
    public boolean taskVector() {
        return false;
    }

    /** The weights are divided by their sum: every weight 0 is refused before any math. */
    @Override
    public String checkTensorParameters(String tensor, List<Map<String, Object>> perModel, Map<String, Object> global,
                                        int baseInput, Vocabulary words) {
        double sum = 0;
        for (Map<String, Object> m : perModel) {
            sum += m.get("weight") instanceof Number n ? n.doubleValue() : 0;
        }
        return sum > 0 ? null : "karcher weights sum to 0 (first at " + tensor + "); give a model a positive weight";
    }

    @Override
    public TensorKernel kernel() {
        return new KarcherKernel();
    }
}
