package dev.graft.algorithms.compress;

import dev.graft.formats.delta.DeltaArtifact;
import dev.graft.formats.delta.DeltaEntry;
import dev.graft.formats.delta.DeltaPart;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Shape;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;

/**
 * BitDelta (Liu et al., NeurIPS 2024, arXiv 2402.10193), the data-free part: each weight matrix's delta becomes
 * {@code Δ̂ = α · sign(Δ)} with {@code α = mean|Δ|}, the scale that minimises {@code ‖Δ − α·sign(Δ)‖_F}
 * (setting the derivative of {@code Σ(|Δ_i| − α)²} to zero gives it). Zero deltas take the sign +1, as in the
 * official code. Stored: the sign bits ({@code signs}, U8, {@link PackedBits} order over the row-major elements)
 * and α ({@code scale}, F32 [1]): 1 bit per parameter plus 32 bits per matrix.
 *
 * <p>The paper's second stage, scale distillation (training α on calibration activations to match the fine-tune's
 * logits), needs a forward pass through the model and is out of scope.
 */
public final class BitDelta implements DeltaCodec {
    public static final String METHOD = "bitdelta";
    static final String SIGNS = "signs";
    static final String SCALE = "scale";

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
        long n = delta.size();
        byte[] signs = new byte[PackedBits.bytesFor(n)];
        double[] sums = new double[2];
        delta.scan((first, d, count) -> {
            PackedBits.packSigns(d, count, signs, first);
            ChunkSums.addAbsAndSquares(d, count, sums);
        });
        float alpha = n == 0 ? 0 : (float) (sums[0] / n);
        // ‖Δ − α s‖² = Σ Δ² − 2α Σ|Δ| + n α², with the α actually stored.
        double err = sums[1] - 2.0 * alpha * sums[0] + (double) alpha * alpha * n;
        return new EncodedDelta(METHOD, Map.of(), List.of(DeltaPart.bytes(SIGNS, signs),
                DeltaPart.floats(SCALE, Shape.of(1), new float[] {alpha})), sums[1], err);
    }

    @Override
    public DeltaDecoder decoder(DeltaEntry entry, DeltaArtifact artifact) {
        StoredParts parts = new StoredParts(artifact, entry);
        MemorySegment signs = parts.part(SIGNS, DType.U8, PackedBits.bytesFor(parts.size())).data();
        float alpha = parts.scalar(SCALE);
        float[] plusMinus = {-alpha, alpha};
        return new DeltaDecoder() {
            private byte[] bytes = new byte[0];

            @Override
            public void addTo(long first, float[] values, int count) {
                // The chunk's sign bytes, copied in bulk: per-element segment reads cost several times more.
                long firstByte = first >>> 3;
                int n = (int) (((first + count + 7) >>> 3) - firstByte);
                if (bytes.length < n) {
                    bytes = new byte[n];
                }
                MemorySegment.copy(signs, ValueLayout.JAVA_BYTE, firstByte, bytes, 0, n);
                int shift = (int) (first & 7);
                if (shift == 0) {
                    int whole = count & ~7;
                    for (int i = 0; i < whole; i += 8) {
                        int b = bytes[i >>> 3];
                        for (int k = 0; k < 8; k++) {
                            values[i + k] += plusMinus[b >> k & 1];
                        }
                    }
                    for (int i = whole; i < count; i++) {
                        values[i] += plusMinus[bytes[i >>> 3] >> (i & 7) & 1];
                    }
                    return;
                }
                for (int i = 0; i < count; i++) {
                    int bit = i + shift;
                    values[i] += plusMinus[bytes[bit >>> 3] >> (bit & 7) & 1];
                }
            }
        };
    }
}
