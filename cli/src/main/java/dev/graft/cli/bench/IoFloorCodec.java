package dev.graft.cli.bench;

import dev.graft.algorithms.compress.DeltaCodec;
import dev.graft.algorithms.compress.DeltaDecoder;
import dev.graft.algorithms.compress.EncodedDelta;
import dev.graft.algorithms.compress.MatrixDelta;
import dev.graft.formats.delta.DeltaArtifact;
import dev.graft.formats.delta.DeltaEntry;

import java.util.List;
import java.util.Map;

/**
 * The I/O floor of compression and decompression: every delta is read (both models decoded to float32 and
 * subtracted) and nothing stored; decoding adds nothing, so decompressing writes the base. Runs through the same
 * compressor and decompressor as the real methods, so the difference is the methods' own work.
 */
final class IoFloorCodec implements DeltaCodec {
    static final String METHOD = "io_floor";

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of();
    }

    @Override
    public EncodedDelta encode(MatrixDelta delta) {
        delta.scan((first, d, count) -> {
        });
        return new EncodedDelta(METHOD, Map.of(), List.of(), 0, 0);
    }

    @Override
    public DeltaDecoder decoder(DeltaEntry entry, DeltaArtifact artifact) {
        return (first, values, count) -> {
        };
    }
}
