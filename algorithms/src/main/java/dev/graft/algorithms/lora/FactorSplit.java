package dev.graft.algorithms.lora;

/**
 * Where the singular values go when a delta {@code U·S·Vᵀ} becomes LoRA factors {@code B·A}.
 */
public enum FactorSplit {
    /** {@code B = U·√S}, {@code A = √S·Vᵀ}: balanced factors (PHLoRA's choice, and the default). */
    SQRT,
    /** {@code B = U}, {@code A = S·Vᵀ}. */
    A,
    /** {@code B = U·S}, {@code A = Vᵀ} (PEFT's SVD combination). */
    B;

    /** The factor of singular value {@code s} that goes to {@code A}. */
    float onA(float s) {
        return switch (this) {
            case SQRT -> (float) Math.sqrt(s);
            case A -> s;
            case B -> 1;
        };
    }

    /** The factor of singular value {@code s} that goes to {@code B}. */
    float onB(float s) {
        return switch (this) {
            case SQRT -> (float) Math.sqrt(s);
            case A -> 1;
            case B -> s;
        };
    }
}
