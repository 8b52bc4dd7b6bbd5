package dev.graft.algorithms.lora;

/**
 * How well one module's delta is represented by its LoRA factors.
 *
 * @param module        the module path
 * @param out           rows of {@code ΔW} ({@code [out, in]}, as PEFT sees it)
 * @param in            columns of {@code ΔW}
 * @param rank          the rank kept; 0 when the module was pruned
 * @param energy        {@code Σ_{i≤r} σᵢ² / ‖ΔW‖²_F}, the fraction of the delta's energy kept (1 when pruned and the
 *                      delta was zero)
 * @param relativeError {@code ‖ΔW − B·A‖_F / ‖ΔW‖_F = √(1 − energy)} before the factors are rounded to the adapter
 *                      dtype (the truncation of an exact or randomized SVD is an orthogonal projection of
 *                      {@code ΔW}, so the identity holds for both)
 * @param deltaNorm     {@code ‖ΔW‖_F}
 * @param relativeDelta {@code ‖ΔW‖_F / ‖W_base‖_F}
 * @param exact         whether the full SVD ({@code sgesdd}) was computed, rather than a randomized one
 */
public record ModuleReport(String module, int out, int in, int rank, double energy, double relativeError,
                           double deltaNorm, double relativeDelta, boolean exact) {
    /** Whether the module was left out of the adapter (negligible delta). */
    public boolean pruned() {
        return rank == 0;
    }
}
