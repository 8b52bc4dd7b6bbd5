package dev.graft.algorithms.methods;

import dev.graft.algorithms.kernels.MultiSlerpKernel;
import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.method.BaseModel;
import dev.graft.core.method.MergeMethod;
import dev.graft.core.method.ParameterDef;
import dev.graft.core.plan.Vocabulary;

import java.util.List;
import java.util.Map;

/**
 * {@code multislerp}: barycentric interpolation of any number of models on the hypersphere (around the base when
 * there is one): unit points {@code uᵢ = xᵢ/(‖xᵢ‖+eps)}, mean direction {@code μ = normalize(Σ wᵢuᵢ)}, tangent sum
 * {@code T = Σ wᵢ(uᵢ − (uᵢ·μ)μ)}, result {@code (Σ wᵢ‖xᵢ‖)·(μ cos‖T‖ + T sin‖T‖/‖T‖)} ({@link MultiSlerpKernel}).
 * Goddard, Multi-SLERP, goddard.blog/posts/multislerp-wow-what-a-cool-idea (mergekit's reference).
 */
public final class MultiSlerp implements MergeMethod {
    @Override
    public String name() {
        return "multislerp";
    }

    @Override
    public String summary() {
        return "spherical barycentric interpolation of any number of models (or of their task vectors from the base)";
    }

    @Override
    public String citation() {
        return "Goddard, Multi-SLERP, https://goddard.blog/posts/multislerp-wow-what-a-cool-idea";
    }

    @Override
    public BaseModel baseModel() {
        return BaseModel.OPTIONAL_INPUT;
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of(
                ParameterDef.bool("normalize_weights", true, "divide the weights by their sum"),
                ParameterDef.numberAtLeast("eps", 1e-8, 0, "added to norms before dividing by them"));
    }

    @Override
    public List<ParameterDef> modelParameters() {
        return List.of(ParameterDef.number("weight", null, "the model's weight in the barycentre"));
    }

    @Override
    public boolean taskVector() {
        // The result is no scaled sum of task vectors, so LiNeS has nothing to scale.
        return false;
    }

    /** Normalising divides by the weight sum: a zero sum is refused before any math (mergekit divides by it). */
    @Override
    public String checkTensorParameters(String tensor, List<Map<String, Object>> perModel, Map<String, Object> global,
                                        int baseInput, Vocabulary words) {
        if (!Boolean.TRUE.equals(global.get("normalize_weights"))) {
            return null;
        }
        double sum = 0;
        for (int i = 0; i < perModel.size(); i++) {
            sum += i != baseInput && perModel.get(i).get("weight") instanceof Number n ? n.doubleValue() : 0;
        }
        return sum != 0 ? null : "weights sum to 0 and normalize_weights divides by their sum (first at " + tensor
                + "); use " + words.globalSetting("normalize_weights", false);
    }

    @Override
    public TensorKernel kernel() {
        return new MultiSlerpKernel();
    }
}
