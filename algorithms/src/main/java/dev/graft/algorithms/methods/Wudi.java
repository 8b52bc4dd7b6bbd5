package dev.graft.algorithms.methods;

import dev.graft.algorithms.spectral.MatrixMerge;
import dev.graft.algorithms.spectral.WudiMerge;
import dev.graft.core.method.ParameterDef;

import java.util.List;

/**
 * {@code wudi}, WUDI merging ("whoever started the interference should end it"). Per 2-D tensor, with task
 * vectors τᵢ = θᵢ − θ_base:
 * <pre>
 *   τ* ≈ argmin_τ Σᵢ ‖(τ − τᵢ)·τᵢᵀ‖²_F / ‖τᵢ‖²_F      (steps Adam steps at rate lr from τ₀ = Σᵢ τᵢ)
 *   θ  = θ_base + τ*
 * </pre>
 * Other tensors: {@code θ_base + mean(τᵢ)}. No rescaling coefficient: the optimum needs none. Cheng, Xiong, Wei,
 * Zhu and Yuan, "Whoever Started the Interference Should End It: Guiding Data-Free Model Merging via Task Vectors",
 * ICML 2025, arXiv:2503.08099. See docs/methods/wudi.md.
 */
public final class Wudi extends SpectralMethod {
    @Override
    public String name() {
        return "wudi";
    }

    @Override
    public String summary() {
        return "per matrix, Adam steps toward the merge least disturbing every task vector's own directions (WUDI)";
    }

    @Override
    public String citation() {
        return "Cheng et al., Whoever Started the Interference Should End It: Guiding Data-Free Model Merging via "
                + "Task Vectors, ICML 2025, arXiv:2503.08099";
    }

    @Override
    public List<ParameterDef> globalParameters() {
        return List.of(ParameterDef.count("steps", 300, "Adam steps per matrix"),
                ParameterDef.numberAtLeast("lr", 1e-5, 0.0, "Adam's learning rate"));
    }

    @Override
    boolean scaled() {
        return false;
    }

    @Override
    MatrixMerge matrixMerge() {
        return new WudiMerge();
    }

    /** The merged τ, C, the two Adam moments, the product τ·G and one task's τᵢ·Gᵢ. */
    @Override
    int scratchMatrices() {
        return 6;
    }

    /**
     * G and one task's Gᵢ, n × n with n the matrix's columns (its input side, whichever is longer): a
     * vocabulary-by-hidden embedding's are hidden × hidden.
     */
    @Override
    long gramBytes(long rows, long cols) {
        return 2L * Float.BYTES * cols * cols;
    }
}
