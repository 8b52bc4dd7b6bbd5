package dev.graft.formats.pytorch;

import dev.graft.formats.dtype.DType;

/**
 * A tensor as a rebuild function describes it: a view of {@code shape} with {@code stride} (both in elements)
 * starting {@code offset} elements into a storage.
 *
 * @param storage the storage viewed
 * @param dtype   the element type (the storage's, or {@code _rebuild_tensor_v3}'s dtype argument)
 * @param offset  the first element, in elements of {@code dtype}
 * @param shape   the sizes
 * @param stride  the strides, as many as sizes
 */
record TensorRef(StorageRef storage, DType dtype, long offset, long[] shape, long[] stride) {
}
