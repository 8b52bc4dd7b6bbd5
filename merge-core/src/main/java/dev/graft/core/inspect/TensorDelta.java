package dev.graft.core.inspect;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;

/**
 * How one tensor differs between two checkpoints.
 *
 * @param name        the tensor
 * @param dtypeA      its dtype in A
 * @param dtypeB      its dtype in B
 * @param shape       its shape (the same in both)
 * @param identical   the same bytes (same dtype) or the same values (different dtypes)
 * @param numeric     compared as numbers; false for dtypes readable as raw bytes only, compared bytewise
 * @param normA       ‖A‖₂ (NaN when not numeric)
 * @param normDelta   ‖B − A‖₂ (NaN when not numeric)
 * @param maxAbsDelta max |B − A| (NaN when not numeric)
 */
public record TensorDelta(String name, DType dtypeA, DType dtypeB, Shape shape, boolean identical, boolean numeric,
                   double normA, double normDelta, double maxAbsDelta) {

    /**
     * ‖B − A‖₂ / ‖A‖₂: 0 when identical, infinite when A is all zeros and B is not. For raw tensors, 0 when
     * identical and infinite otherwise, so that changed ones sort first.
     */
    public double relativeDelta() {
        if (!numeric) {
            return identical ? 0 : Double.POSITIVE_INFINITY;
        }
        if (normA == 0) {
            return normDelta == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return normDelta / normA;
    }
}
