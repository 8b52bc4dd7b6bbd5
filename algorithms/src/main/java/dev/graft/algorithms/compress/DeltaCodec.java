package dev.graft.algorithms.compress;

import dev.graft.formats.delta.DeltaArtifact;
import dev.graft.formats.delta.DeltaEntry;

import java.util.Map;

/**
 * A delta compression method: encodes one weight matrix's delta into stored parts and decodes them again.
 * Instances hold only parameters and are shared by every thread.
 */
public interface DeltaCodec {
    /** The method's name, as in {@code graft compress METHOD}. */
    String method();

    /** The parameters, as recorded in the delta (enough to {@linkplain DeltaCodecs#of rebuild} the codec). */
    Map<String, String> parameters();

    /** Compresses one matrix's delta. */
    EncodedDelta encode(MatrixDelta delta);

    /**
     * A decoder of one stored tensor of this method.
     *
     * @throws dev.graft.formats.delta.DeltaFormatException when the parts do not fit the entry
     */
    DeltaDecoder decoder(DeltaEntry entry, DeltaArtifact artifact);
}
