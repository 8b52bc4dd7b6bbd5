package dev.graft.testmodels;

import dev.graft.formats.tensor.Shape;

import java.util.Objects;

/**
 * One tensor of a generated model: its name and shape and the distribution its values are drawn from.
 *
 * @param name      the state-dict key
 * @param shape     the dimensions
 * @param mean      the mean of the values (0 for weights and biases, 1 for norm scales)
 * @param std       their standard deviation ({@code 1/sqrt(fan_in)} for weight matrices, as real inits scale them)
 * @param deltaUnit the scale that fine-tune deltas of this tensor are measured in: the weight's own {@code std} for
 *                  matrices and biases, larger for norm scales, whose tiny init spread is no measure of how much
 *                  fine-tuning moves them
 */
public record TensorBlueprint(String name, Shape shape, double mean, double std, double deltaUnit) {
    /** Spread of norm scales around 1: trained norms are not all exactly 1, and a constant tensor hides bugs. */
    static final double NORM_STD = 0.02;
    /** Fine-tuning moves norm scales by about 1 % at the default delta scales, which survives bf16 rounding near 1. */
    static final double NORM_DELTA_UNIT = 0.2;
    /** Transformers' default {@code initializer_range}. */
    static final double BIAS_STD = 0.02;

    public TensorBlueprint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
    }

    /** A weight matrix drawn from {@code N(0, 1/fan_in)}. */
    static TensorBlueprint weight(String name, long fanIn, long... dims) {
        double std = 1 / Math.sqrt(fanIn);
        return new TensorBlueprint(name, Shape.of(dims), 0, std, std);
    }

    /** A norm scale near 1. */
    static TensorBlueprint normScale(String name, long size) {
        return new TensorBlueprint(name, Shape.of(size), 1, NORM_STD, NORM_DELTA_UNIT);
    }

    /** A bias near 0. */
    static TensorBlueprint bias(String name, long size) {
        return new TensorBlueprint(name, Shape.of(size), 0, BIAS_STD, BIAS_STD);
    }

    /** True for matrices (and higher ranks), the tensors fine-tunes add outliers to. */
    public boolean isMatrix() {
        return shape.rank() >= 2;
    }
}
