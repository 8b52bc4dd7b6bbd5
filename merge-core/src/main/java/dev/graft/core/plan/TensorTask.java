package dev.graft.core.plan;

import dev.graft.core.kernel.TensorParameters;
import dev.graft.core.vocab.EmbeddingRows;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.util.List;
import java.util.Optional;

/**
 * Everything needed to produce one output tensor, decided before any math: inputs, the shape they are read as,
 * resolved parameters and dtypes.
 *
 * @param output        name, dtype and shape written
 * @param inputs        the inputs, in kernel order
 * @param baseInput     index into {@code inputs} of the base model's tensor, or -1
 * @param readShape     the shape every input is read as (the common submatrix for embeddings of different sizes)
 * @param parameters    the method's parameters resolved for this tensor
 * @param computeDtype  when set, inputs are rounded to it as they are read (mergekit's {@code dtype}); arithmetic
 *                      itself is float32
 * @param passthrough   copy input 0's bytes unchanged (same dtype, no math), e.g. a tensor only one model has
 * @param rows          for an embedding-like tensor under a new vocabulary: how each input's rows are rebuilt as
 *                      {@code readShape}'s rows before the method runs
 */
public record TensorTask(TensorSpec output, List<TaskInput> inputs, int baseInput, Shape readShape,
                         TensorParameters parameters, Optional<DType> computeDtype, boolean passthrough,
                         Optional<EmbeddingRows> rows) {
    public TensorTask {
        inputs = List.copyOf(inputs);
        java.util.Objects.requireNonNull(rows, "rows");
    }

    /** A task whose inputs are read as they are stored. */
    public TensorTask(TensorSpec output, List<TaskInput> inputs, int baseInput, Shape readShape,
                      TensorParameters parameters, Optional<DType> computeDtype, boolean passthrough) {
        this(output, inputs, baseInput, readShape, parameters, computeDtype, passthrough, Optional.empty());
    }

    public String name() {
        return output.name();
    }
}
