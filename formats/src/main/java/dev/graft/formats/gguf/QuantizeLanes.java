package dev.graft.formats.gguf;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Q8_0 and Q4_0 reference quantizers ({@link BlockQ8_0}, {@link BlockQ4_0}) on the JDK's incubating Vector API,
 * a block at a time in 32 / lanes vectors: the same float32 operations on each element as the scalar loops, so the
 * same bytes. C2 does not vectorise the scalar loops (a reduction feeding a division, then rounding by
 * truncate-and-correct), which left Q8_0 at 3.3 ns an element. A block holding NaN or infinity is handed to the
 * scalar loop, which throws the refusal naming its element.
 *
 * <p>Loaded only when {@link QuantizeSwitch} has seen the incubator module.
 */
final class QuantizeLanes {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());
    /** As many bytes as {@link #FLOATS} has floats, for the narrowed quants. */
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class,
            VectorShape.forBitSize(FLOATS.length() * Byte.SIZE));
    private static final int LANES = FLOATS.length();
    private static final int ELEMENTS = 32;
    private static final int VECTORS = ELEMENTS / LANES;

    private QuantizeLanes() {
    }

    /** Whether these loops beat the scalar ones here: real 256-bit or wider vectors that split a block evenly. */
    static boolean usable() {
        return FLOATS.vectorBitSize() >= 256 && ELEMENTS % LANES == 0;
    }

    /** {@link BlockQ8_0#quantize}: amax, d = amax / 127, q = roundf(x · (1/d)). */
    static void q8_0(float[] src, int from, int blocks, byte[] dst, int dstOffset) {
        FloatVector half = FloatVector.broadcast(FLOATS, 0.5f);
        for (int b = 0; b < blocks; b++) {
            int base = from + b * ELEMENTS;
            int out = dstOffset + b * BlockQ8_0.BYTES;
            float amax = amax(src, base);
            if (amax < 0f) {
                BlockQ8_0.quantizeScalar(src, base, 1, dst, out); // throws, naming the element
                continue;
            }
            float d = amax / 127f;
            float id = d != 0f ? 1f / d : 0f;
            BlockScale.store(d, dst, out, src, base, ELEMENTS);
            for (int k = 0; k < VECTORS; k++) {
                FloatVector x = FloatVector.fromArray(FLOATS, src, base + k * LANES).mul(id);
                // RoundingRules.roundf, lane by lane: truncate |x| + 0.5, step back where that overshot
                FloatVector a = x.abs();
                IntVector q = (IntVector) a.add(half).convert(VectorOperators.F2I, 0);
                FloatVector qf = (FloatVector) q.convert(VectorOperators.I2F, 0);
                VectorMask<Integer> over = a.lt(qf.sub(half)).cast(INTS);
                q = q.sub(1, over);
                q = q.lanewise(VectorOperators.NEG, x.lt(0f).cast(INTS));
                q.convertShape(VectorOperators.I2B, BYTES, 0).reinterpretAsBytes()
                        .intoArray(dst, out + 2 + k * LANES);
            }
        }
    }

    /** {@link BlockQ4_0#quantize}: the first x of largest |x|, d = x / −8, q = min(15, trunc(x · (1/d) + 8.5)). */
    static void q4_0(float[] src, int from, int blocks, byte[] dst, int dstOffset) {
        int halfVectors = VECTORS / 2;
        for (int b = 0; b < blocks; b++) {
            int base = from + b * ELEMENTS;
            int out = dstOffset + b * BlockQ4_0.BYTES;
            float amax = amax(src, base);
            if (amax < 0f) {
                BlockQ4_0.quantizeScalar(src, base, 1, dst, out); // throws, naming the element
                continue;
            }
            // the scalar loop keeps max = +0 for an all-zero block (its d is then −0)
            float max = amax == 0f ? 0f : firstWithMagnitude(src, base, amax);
            float d = max / -8f;
            float id = d != 0f ? 1f / d : 0f;
            BlockScale.store(d, dst, out, src, base, ELEMENTS);
            for (int k = 0; k < halfVectors; k++) {
                IntVector lo = quants4(src, base + k * LANES, id);
                IntVector hi = quants4(src, base + (k + halfVectors) * LANES, id);
                lo.or(hi.lanewise(VectorOperators.LSHL, 4)).convertShape(VectorOperators.I2B, BYTES, 0)
                        .reinterpretAsBytes().intoArray(dst, out + 2 + k * LANES);
            }
        }
    }

    /** The block's largest magnitude, or −1 when it holds NaN or an infinity (the scalar loops' refusals). */
    private static float amax(float[] src, int base) {
        FloatVector amax = FloatVector.zero(FLOATS);
        VectorMask<Float> finite = FLOATS.maskAll(true);
        for (int k = 0; k < VECTORS; k++) {
            FloatVector v = FloatVector.fromArray(FLOATS, src, base + k * LANES);
            finite = finite.and(v.test(VectorOperators.IS_FINITE));
            amax = amax.max(v.abs());
        }
        return finite.allTrue() ? amax.reduceLanes(VectorOperators.MAX) : -1f;
    }

    private static IntVector quants4(float[] src, int at, float id) {
        FloatVector x = FloatVector.fromArray(FLOATS, src, at).mul(id).add(8.5f);
        // C's (int8_t) cast truncates toward zero as F2I does; the sums lie in [0.5, 16.5]
        return ((IntVector) x.convert(VectorOperators.F2I, 0)).min(15);
    }

    /** The first element of the block whose magnitude is {@code amax} (it is there: amax is their maximum). */
    private static float firstWithMagnitude(float[] src, int base, float amax) {
        for (int k = 0; k < VECTORS; k++) {
            FloatVector v = FloatVector.fromArray(FLOATS, src, base + k * LANES);
            VectorMask<Float> hit = v.abs().eq(amax);
            if (hit.anyTrue()) {
                return src[base + k * LANES + hit.firstTrue()];
            }
        }
        throw new IllegalStateException("no element of magnitude " + amax + " in the block at " + base);
    }
}
