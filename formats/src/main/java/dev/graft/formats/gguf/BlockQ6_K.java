package dev.graft.formats.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's Q6_K: super-blocks of 256 elements in 16 sub-blocks of 16, stored as 128 bytes of low quant nibbles
 * {@code ql}, 64 bytes of high quant bit pairs {@code qh}, 16 signed 8-bit sub-block scales and a float16 super-block
 * scale {@code d}, in that order (210 bytes).
 *
 * <pre>
 *   per sub-block b:  s_b = make_qx_quants(16 values, nmax 32, weights x²)      (a least-squares scale, below)
 *   m = the s_b of largest |s_b| (the first),  iscale = −128 / m,  stored d = fp16(1 / iscale)
 *   scale_b = min(127, nearest_int(iscale · s_b)),  d_b = float(stored d) · scale_b
 *   q_j = clamp(nearest_int(x_j / d_b), −32, 31) + 32   (sub-blocks with d_b = 0 keep make_qx_quants' quants)
 *   x'_j = float(stored d) · scale_b · (q_j − 32)
 * </pre>
 *
 * {@code make_qx_quants}: with {@code m} the value of largest magnitude, quants {@code l = clamp(nearest_int(k·x),
 * −32, 31)} for {@code k = −32/m}, then for {@code k = −(32 + 0.1·i)/m}, i = −9 … 9, keeping the quants with the
 * largest {@code (Σ w·x·l)² / Σ w·l²} (strictly larger than the best so far); the scale is
 * {@code Σ w·x·l / Σ w·l²}. {@code nearest_int} rounds halves to even (ggml adds 1.5·2²³ and reads the mantissa).
 * All as {@code quantize_row_q6_K_ref}, {@code make_qx_quants} and {@code dequantize_row_q6_K} in ggml's
 * {@code ggml-quants.c}, in float32 operation for operation (the sums in element order), so the bytes are ggml's.
 * A super-block whose largest sub-block scale is below 1e−15 ({@code GROUP_MAX_EPS}) is stored as zeros.
 */
final class BlockQ6_K implements BlockCodec {
    static final BlockQ6_K INSTANCE = new BlockQ6_K();
    static final int ELEMENTS = 256;
    static final int BYTES = 210;
    private static final int SUB = 16;
    private static final int QL = 0;
    private static final int QH = 128;
    private static final int SCALES = 192;
    private static final int D = 208;
    private static final int NMAX = 32;
    private static final float GROUP_MAX_EPS = 1e-15f;

    private BlockQ6_K() {
    }

    @Override
    public GgufTensorType type() {
        return GgufTensorType.Q6_K;
    }

    @Override
    public void quantize(float[] src, int from, int blocks, byte[] dst, int dstOffset) {
        int[] quants = new int[ELEMENTS];
        float[] scales = new float[ELEMENTS / SUB];
        for (int b = 0; b < blocks; b++) {
            quantizeBlock(src, from + b * ELEMENTS, dst, dstOffset + b * BYTES, quants, scales);
        }
    }

    private static void quantizeBlock(float[] src, int base, byte[] dst, int out, int[] quants, float[] scales) {
        for (int j = 0; j < ELEMENTS; j++) {
            if (!Float.isFinite(src[base + j])) {
                throw RoundingRules.nonFinite(src, base, ELEMENTS);
            }
        }
        float maxScale = 0f;
        float maxAbsScale = 0f;
        for (int s = 0; s < scales.length; s++) {
            float scale = leastSquaresScale(src, base + s * SUB, quants, s * SUB);
            scales[s] = scale;
            if (Math.abs(scale) > maxAbsScale) {
                maxAbsScale = Math.abs(scale);
                maxScale = scale;
            }
        }
        java.util.Arrays.fill(dst, out, out + BYTES, (byte) 0);
        if (maxAbsScale < GROUP_MAX_EPS) {
            return; // ggml stores the whole block as zeros, d included
        }
        float iscale = -128f / maxScale;
        BlockScale.store(1f / iscale, dst, out + D, src, base, ELEMENTS);
        float d = BlockScale.load(MemorySegment.ofArray(dst), out + D);
        for (int s = 0; s < scales.length; s++) {
            dst[out + SCALES + s] = (byte) Math.min(127, nearestInt(iscale * scales[s]));
        }
        for (int s = 0; s < scales.length; s++) {
            float ds = d * dst[out + SCALES + s];
            if (ds == 0f) {
                continue;
            }
            for (int i = 0; i < SUB; i++) {
                int l = nearestInt(src[base + s * SUB + i] / ds);
                quants[s * SUB + i] = Math.max(-32, Math.min(31, l)) + 32;
            }
        }
        pack(quants, dst, out);
    }

    /**
     * {@code make_qx_quants(16, 32, x, L, 1, NULL)}: the weighted least-squares scale of one sub-block, its quants
     * (0 … 63) left in {@code quants[at…]}.
     */
    private static float leastSquaresScale(float[] x, int base, int[] quants, int at) {
        float max = 0f;
        float amax = 0f;
        for (int i = 0; i < SUB; i++) {
            float ax = Math.abs(x[base + i]);
            if (ax > amax) {
                amax = ax;
                max = x[base + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            java.util.Arrays.fill(quants, at, at + SUB, 0);
            return 0f;
        }
        float iscale = -NMAX / max;
        float sumlx = 0f;
        float suml2 = 0f;
        for (int i = 0; i < SUB; i++) {
            float v = x[base + i];
            int l = clamp(nearestInt(iscale * v));
            quants[at + i] = l + NMAX;
            float w = v * v;
            sumlx += w * v * l;
            suml2 += w * l * l;
        }
        float scale = suml2 != 0f ? sumlx / suml2 : 0f;
        float best = scale * sumlx;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) {
                continue;
            }
            iscale = -(NMAX + 0.1f * is) / max;
            sumlx = 0f;
            suml2 = 0f;
            for (int i = 0; i < SUB; i++) {
                float v = x[base + i];
                int l = clamp(nearestInt(iscale * v));
                float w = v * v;
                sumlx += w * v * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0f && sumlx * sumlx > best * suml2) {
                for (int i = 0; i < SUB; i++) {
                    quants[at + i] = clamp(nearestInt(iscale * x[base + i])) + NMAX;
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    private static int clamp(int l) {
        return Math.max(-NMAX, Math.min(NMAX - 1, l));
    }

    /**
     * ggml's {@code nearest_int}: adding 1.5·2²³ leaves the integer part of {@code f} (rounded half to even) in the
     * low mantissa bits, for |f| ≤ 4194303; beyond that the bits are what ggml reads too.
     */
    static int nearestInt(float f) {
        return (Float.floatToRawIntBits(f + 12582912f) & 0x007FFFFF) - 0x00400000;
    }

    /** The 6-bit quants into {@code ql} (low nibbles) and {@code qh} (high bit pairs), as ggml interleaves them. */
    private static void pack(int[] q, byte[] dst, int out) {
        for (int half = 0; half < 2; half++) {
            int j = half * 128;
            int ql = out + QL + half * 64;
            int qh = out + QH + half * 32;
            for (int l = 0; l < 32; l++) {
                int q1 = q[j + l];
                int q2 = q[j + l + 32];
                int q3 = q[j + l + 64];
                int q4 = q[j + l + 96];
                dst[ql + l] = (byte) ((q1 & 0xF) | ((q3 & 0xF) << 4));
                dst[ql + l + 32] = (byte) ((q2 & 0xF) | ((q4 & 0xF) << 4));
                dst[qh + l] = (byte) ((q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6));
            }
        }
    }

    @Override
    public void dequantize(MemorySegment src, long srcOffset, int blocks, float[] dst, int to) {
        for (int b = 0; b < blocks; b++) {
            long in = srcOffset + (long) b * BYTES;
            float d = BlockScale.load(src, in + D);
            for (int half = 0; half < 2; half++) {
                long ql = in + QL + half * 64L;
                long qh = in + QH + half * 32L;
                long sc = in + SCALES + half * 8L;
                int y = to + b * ELEMENTS + half * 128;
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int low0 = src.get(ValueLayout.JAVA_BYTE, ql + l) & 0xFF;
                    int low1 = src.get(ValueLayout.JAVA_BYTE, ql + l + 32) & 0xFF;
                    int high = src.get(ValueLayout.JAVA_BYTE, qh + l) & 0xFF;
                    int q1 = ((low0 & 0xF) | ((high & 3) << 4)) - 32;
                    int q2 = ((low1 & 0xF) | (((high >> 2) & 3) << 4)) - 32;
                    int q3 = ((low0 >> 4) | (((high >> 4) & 3) << 4)) - 32;
                    int q4 = ((low1 >> 4) | (((high >> 6) & 3) << 4)) - 32;
                    // (d · scale) · q, as ggml's float expression groups it
                    dst[y + l] = d * src.get(ValueLayout.JAVA_BYTE, sc + is) * q1;
                    dst[y + l + 32] = d * src.get(ValueLayout.JAVA_BYTE, sc + is + 2) * q2;
                    dst[y + l + 64] = d * src.get(ValueLayout.JAVA_BYTE, sc + is + 4) * q3;
                    dst[y + l + 96] = d * src.get(ValueLayout.JAVA_BYTE, sc + is + 6) * q4;
                }
            }
        }
    }
}
