package dev.graft.formats.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's Q4_K: super-blocks of 256 elements in 8 sub-blocks of 32, stored as a float16 scale {@code d}, a float16
 * {@code dmin}, 12 bytes holding each sub-block's 6-bit scale and 6-bit min, and 128 bytes of 4-bit quants, two
 * sub-blocks to each 32 bytes (low nibbles the first, high nibbles the second): 144 bytes.
 *
 * <pre>
 *   per sub-block b:  w_j = sqrt(Σ x²/32) + |x_j|,  (s_b, m_b) = make_qkx2_quants(32 values, nmax 15, w,
 *                     rmin −1, rdelta 0.1, 20 steps)         (x ≈ s_b·q − m_b, q in 0 … 15, below)
 *   stored d = fp16(max s_b / 63), dmin = fp16(max m_b / 63)
 *   sc_b = min(63, nearest_int(63 / max s_b · s_b)),  mn_b likewise from the m_b (0 when the max is not positive)
 *   q_j = clamp(nearest_int((x_j + float(dmin)·mn_b) / (float(d)·sc_b)), 0, 15)
 *         (sub-blocks with float(d)·sc_b = 0 keep make_qkx2_quants' quants)
 *   x'_j = float(d)·sc_b · q_j − float(dmin)·mn_b
 * </pre>
 *
 * {@code make_qkx2_quants}: with {@code min = min(0, min x)}, {@code max = max x}, first
 * {@code q = clamp(nearest_int(k·(x − min)))} for {@code k = 15/(max − min)} and its weighted squared error at scale
 * {@code 1/k}; then for {@code k = (−1 + 0.1·i + 15)/(max − min)}, i = 0 … 20, the weighted least-squares scale and
 * min of those quants (the min clipped to 0, the scale then refitted alone), kept when their error is strictly
 * lower. All as {@code quantize_row_q4_K_ref}, {@code make_qkx2_quants}, {@code get_scale_min_k4} and
 * {@code dequantize_row_q4_K} in ggml's {@code ggml-quants.c}, in float32 operation for operation.
 */
final class BlockQ4_K implements BlockCodec {
    static final BlockQ4_K INSTANCE = new BlockQ4_K();
    static final int ELEMENTS = 256;
    static final int BYTES = 144;
    private static final int SUB = 32;
    private static final int SUBS = ELEMENTS / SUB;
    private static final int D = 0;
    private static final int DMIN = 2;
    private static final int SCALES = 4;
    private static final int QS = 16;
    private static final int NMAX = 15;

    private BlockQ4_K() {
    }

    @Override
    public GgufTensorType type() {
        return GgufTensorType.Q4_K;
    }

    @Override
    public void quantize(float[] src, int from, int blocks, byte[] dst, int dstOffset) {
        Work work = new Work();
        for (int b = 0; b < blocks; b++) {
            quantizeBlock(src, from + b * ELEMENTS, dst, dstOffset + b * BYTES, work);
        }
    }

    /** Scratch of one super-block, reused. */
    private static final class Work {
        final int[] quants = new int[ELEMENTS];
        final int[] trial = new int[SUB];
        final float[] weights = new float[SUB];
        final float[] scales = new float[SUBS];
        final float[] mins = new float[SUBS];
    }

    private static void quantizeBlock(float[] x, int base, byte[] dst, int out, Work w) {
        for (int j = 0; j < ELEMENTS; j++) {
            if (!Float.isFinite(x[base + j])) {
                throw RoundingRules.nonFinite(x, base, ELEMENTS);
            }
        }
        float maxScale = 0f;
        float maxMin = 0f;
        for (int s = 0; s < SUBS; s++) {
            int at = base + s * SUB;
            float sumX2 = 0f;
            for (int l = 0; l < SUB; l++) {
                sumX2 += x[at + l] * x[at + l];
            }
            // sqrtf: the double square root of a float, rounded once to float, is the correctly rounded one
            float avX = (float) Math.sqrt(sumX2 / 32f);
            for (int l = 0; l < SUB; l++) {
                w.weights[l] = avX + Math.abs(x[at + l]);
            }
            w.scales[s] = fitScaleAndMin(x, at, w, s);
            if (w.scales[s] > maxScale) {
                maxScale = w.scales[s];
            }
            if (w.mins[s] > maxMin) {
                maxMin = w.mins[s];
            }
        }
        float invScale = maxScale > 0f ? 63f / maxScale : 0f;
        float invMin = maxMin > 0f ? 63f / maxMin : 0f;
        for (int s = 0; s < SUBS; s++) {
            // C stores nearest_int's int in a uint8_t before the MIN
            int ls = Math.min(63, BlockQ6_K.nearestInt(invScale * w.scales[s]) & 0xFF);
            int lm = Math.min(63, BlockQ6_K.nearestInt(invMin * w.mins[s]) & 0xFF);
            if (s < 4) {
                dst[out + SCALES + s] = (byte) ls;
                dst[out + SCALES + s + 4] = (byte) lm;
            } else {
                dst[out + SCALES + s + 4] = (byte) ((ls & 0xF) | ((lm & 0xF) << 4));
                dst[out + SCALES + s - 4] |= (byte) ((ls >> 4) << 6);
                dst[out + SCALES + s] |= (byte) ((lm >> 4) << 6);
            }
        }
        BlockScale.store(maxScale / 63f, dst, out + D, x, base, ELEMENTS);
        BlockScale.store(maxMin / 63f, dst, out + DMIN, x, base, ELEMENTS);
        MemorySegment stored = MemorySegment.ofArray(dst);
        float d = BlockScale.load(stored, out + D);
        float dmin = BlockScale.load(stored, out + DMIN);
        for (int s = 0; s < SUBS; s++) {
            float ds = d * scale(dst, out + SCALES, s);
            if (ds == 0f) {
                continue;
            }
            float dm = dmin * min(dst, out + SCALES, s);
            for (int i = 0; i < SUB; i++) {
                int l = BlockQ6_K.nearestInt((x[base + s * SUB + i] + dm) / ds);
                w.quants[s * SUB + i] = Math.max(0, Math.min(NMAX, l));
            }
        }
        for (int j = 0; j < ELEMENTS; j += 64) {
            for (int l = 0; l < 32; l++) {
                dst[out + QS + j / 2 + l] = (byte) (w.quants[j + l] | (w.quants[j + l + 32] << 4));
            }
        }
    }

    /**
     * {@code make_qkx2_quants(32, 15, x, weights, L, &min, Laux, -1, 0.1, 20, false)}: sub-block {@code s}'s scale,
     * its min (as a positive offset) in {@code w.mins[s]}, its quants in {@code w.quants}.
     */
    private static float fitScaleAndMin(float[] x, int at, Work w, int s) {
        float[] wt = w.weights;
        int[] q = w.quants;
        int qAt = s * SUB;
        float min = x[at];
        float max = x[at];
        float sumW = wt[0];
        float sumX = sumW * x[at];
        for (int i = 1; i < SUB; i++) {
            if (x[at + i] < min) {
                min = x[at + i];
            }
            if (x[at + i] > max) {
                max = x[at + i];
            }
            sumW += wt[i];
            sumX += wt[i] * x[at + i];
        }
        if (min > 0f) {
            min = 0f;
        }
        if (max == min) {
            java.util.Arrays.fill(q, qAt, qAt + SUB, 0);
            w.mins[s] = -min;
            return 0f;
        }
        float iscale = NMAX / (max - min);
        float scale = 1f / iscale;
        float bestError = 0f;
        for (int i = 0; i < SUB; i++) {
            int l = Math.max(0, Math.min(NMAX, BlockQ6_K.nearestInt(iscale * (x[at + i] - min))));
            q[qAt + i] = l;
            float diff = scale * l + min - x[at + i];
            bestError += wt[i] * (diff * diff);
        }
        for (int is = 0; is <= 20; is++) {
            iscale = (-1f + 0.1f * is + NMAX) / (max - min);
            float sumL = 0f;
            float sumL2 = 0f;
            float sumXL = 0f;
            for (int i = 0; i < SUB; i++) {
                int l = Math.max(0, Math.min(NMAX, BlockQ6_K.nearestInt(iscale * (x[at + i] - min))));
                w.trial[i] = l;
                sumL += wt[i] * l;
                sumL2 += wt[i] * l * l;
                sumXL += wt[i] * l * x[at + i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det > 0f) {
                float thisScale = (sumW * sumXL - sumX * sumL) / det;
                float thisMin = (sumL2 * sumX - sumL * sumXL) / det;
                if (thisMin > 0f) {
                    thisMin = 0f;
                    thisScale = sumXL / sumL2;
                }
                float error = 0f;
                for (int i = 0; i < SUB; i++) {
                    float diff = thisScale * w.trial[i] + thisMin - x[at + i];
                    error += wt[i] * (diff * diff);
                }
                if (error < bestError) {
                    System.arraycopy(w.trial, 0, q, qAt, SUB);
                    bestError = error;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        w.mins[s] = -min;
        return scale;
    }

    /** {@code get_scale_min_k4}'s scale of sub-block {@code s}, from the 12 scale bytes at {@code b[at…]}. */
    private static int scale(byte[] b, int at, int s) {
        return s < 4 ? b[at + s] & 63 : (b[at + s + 4] & 0xF) | (((b[at + s - 4] & 0xFF) >> 6) << 4);
    }

    /** {@code get_scale_min_k4}'s min of sub-block {@code s}, from the 12 scale bytes at {@code b[at…]}. */
    private static int min(byte[] b, int at, int s) {
        return s < 4 ? b[at + s + 4] & 63 : ((b[at + s + 4] & 0xFF) >> 4) | (((b[at + s] & 0xFF) >> 6) << 4);
    }

    @Override
    public void dequantize(MemorySegment src, long srcOffset, int blocks, float[] dst, int to) {
        byte[] scales = new byte[12];
        for (int b = 0; b < blocks; b++) {
            long in = srcOffset + (long) b * BYTES;
            float d = BlockScale.load(src, in + D);
            float dmin = BlockScale.load(src, in + DMIN);
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, in + SCALES, scales, 0, 12);
            int y = to + b * ELEMENTS;
            for (int j = 0; j < ELEMENTS; j += 64) {
                int s = j / 32;
                float d1 = d * scale(scales, 0, s);
                float m1 = dmin * min(scales, 0, s);
                float d2 = d * scale(scales, 0, s + 1);
                float m2 = dmin * min(scales, 0, s + 1);
                for (int l = 0; l < 32; l++) {
                    int q = src.get(ValueLayout.JAVA_BYTE, in + QS + j / 2 + l) & 0xFF;
                    dst[y + j + l] = d1 * (q & 0xF) - m1;
                    dst[y + j + 32 + l] = d2 * (q >> 4) - m2;
                }
            }
        }
    }
}
