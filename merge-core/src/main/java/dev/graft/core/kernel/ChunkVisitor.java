package dev.graft.core.kernel;

/** Receives one chunk of every input of a tensor: the same element range of each. */
@FunctionalInterface
public interface ChunkVisitor {
    /**
     * @param first  index of the chunk's first element in the (row-major) tensor
     * @param length elements in the chunk; always whole rows
     * @param values {@code values[i][offset .. offset+length)} are input {@code i}'s elements; read-only, and
     *               reused for the next chunk, so copy what must outlive the call
     * @param offset where the chunk starts in each array (0 when read from files, the element index when the
     *               inputs are held in memory and handed over without copying)
     */
    void visit(long first, int length, float[][] values, int offset);
}
