package dev.graft.algorithms.compress;

import dev.graft.formats.delta.DeltaPart;

import java.util.List;
import java.util.Map;

/**
 * One matrix delta as a method stored it, with the figures its report needs.
 *
 * @param encoding     the encoding name recorded in the manifest
 * @param attributes   what the decoder needs beyond the parts
 * @param parts        the stored parts
 * @param normSquared  ‖Δ‖², in double
 * @param errorSquared ‖Δ − Δ̂‖², in double, for the Δ̂ that decoding these parts gives
 */
public record EncodedDelta(String encoding, Map<String, String> attributes, List<DeltaPart> parts, double normSquared,
                           double errorSquared) {
    public EncodedDelta {
        attributes = Map.copyOf(attributes);
        parts = List.copyOf(parts);
    }

    /** ‖Δ − Δ̂‖ / ‖Δ‖, and 0 when Δ = 0 (every method reproduces a zero delta exactly). */
    public double relativeError() {
        return normSquared == 0 ? 0 : Math.sqrt(Math.max(0, errorSquared) / normSquared);
    }
}
