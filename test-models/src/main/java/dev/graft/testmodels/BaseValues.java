package dev.graft.testmodels;

/** The values of a base model tensor: independent draws from the blueprint's distribution. */
final class BaseValues implements TensorValues {
    static final String PURPOSE = "base";

    private final TensorBlueprint tensor;
    private final GaussianStream normal;

    BaseValues(TensorBlueprint tensor, long seed) {
        this.tensor = tensor;
        this.normal = GaussianStream.of(seed, tensor.name(), PURPOSE);
    }

    @Override
    public void next(float[] dst, int count) {
        normal.fill(dst, 0, count, tensor.mean(), tensor.std());
    }
}
