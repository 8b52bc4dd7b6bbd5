package dev.graft.core.kernel;

/** Receives one chunk of every input of a tensor: the same element range of each. */
@FunctionalInterface
public interface ChunkVisitor {
    /**
     * @param first  index of the chunk's first element in the (row-major) tensor
     * @param length elements in the chunk; always whole rows
     * @param values {@code values[i][0..length)} are input {@code i}'s elements; the arrays are reused for the next
     *               chunk, so copy what must outlive the call
     */
    void visit(long first, int length, float[][] values);
}
