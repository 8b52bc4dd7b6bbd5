package dev.graft.formats.gguf;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The vector quantizers ({@link QuantizeLanes}) write the bytes of the scalar reference loops
 * ({@link BlockQ8_0#quantizeScalar}, {@link BlockQ4_0#quantizeScalar}, themselves checked against hand-worked blocks
 * in {@link GgufQuantizationTest}) on seeded random blocks of every kind that takes another path through the
 * formulas: Gaussian, exact halves and near-halves after scaling, all-zero and signed-zero blocks, ties for the
 * largest magnitude, subnormals, huge values whose scale overflows float16, NaN and infinities; and refuse what the
 * scalar loops refuse with the same message.
 */
class QuantizeLanesTest {
    private static final int BLOCKS = 20_000;

    @Test
    void theVectorFormRunsUnderTheTests() {
        // surefire starts the JVM with the incubator module, as the graft launcher does; a machine with vectors
        // narrower than 256 bits would run the scalar loops instead, and this test says so
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
        assertThat(QuantizeSwitch.VECTOR).as("QuantizeLanes usable on this machine").isEqualTo(QuantizeLanes.usable());
    }

    @Test
    void q8_0EqualsTheScalarLoopBitForBit() {
        compare(GgufTensorType.Q8_0, 1);
    }

    @Test
    void q4_0EqualsTheScalarLoopBitForBit() {
        compare(GgufTensorType.Q4_0, 2);
    }

    private static void compare(GgufTensorType type, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int bytes = type.blockBytes();
        float[] block = new float[32];
        byte[] vector = new byte[bytes];
        byte[] scalar = new byte[bytes];
        int refused = 0;
        for (int b = 0; b < BLOCKS; b++) {
            fill(block, b % 10, rng);
            Throwable v = catchThrowable(() -> vectorForm(type, block, vector));
            Throwable s = catchThrowable(() -> scalarForm(type, block, scalar));
            if (s != null) {
                refused++;
                assertThat(v).as("block %d", b).isInstanceOf(UnrepresentableBlockException.class)
                        .hasMessage(s.getMessage());
                continue;
            }
            assertThat(v).as("block %d", b).isNull();
            assertThat(vector).as("%s block %d: %s", type, b, java.util.Arrays.toString(block)).isEqualTo(scalar);
        }
        // the NaN / infinity / overflow kinds were refused, and the rest were compared
        assertThat(refused).isEqualTo(BLOCKS / 10 * 3);
    }

    private static void vectorForm(GgufTensorType type, float[] block, byte[] out) {
        if (type == GgufTensorType.Q8_0) {
            QuantizeLanes.q8_0(block, 0, 1, out, 0);
        } else {
            QuantizeLanes.q4_0(block, 0, 1, out, 0);
        }
    }

    private static void scalarForm(GgufTensorType type, float[] block, byte[] out) {
        if (type == GgufTensorType.Q8_0) {
            BlockQ8_0.quantizeScalar(block, 0, 1, out, 0);
        } else {
            BlockQ4_0.quantizeScalar(block, 0, 1, out, 0);
        }
    }

    /** A block of kind {@code kind} (0 … 9); kinds 7, 8 and 9 are refused by both forms. */
    private static void fill(float[] block, int kind, SplittableRandom rng) {
        double scale = Math.pow(10, rng.nextInt(-6, 4));
        for (int j = 0; j < 32; j++) {
            block[j] = (float) (rng.nextGaussian() * scale);
        }
        switch (kind) {
            case 1 -> {
                // amax 127 (Q8_0: 1/d = 1) or 8 (Q4_0: d = -1 or 1): halves and the floats beside them
                block[rng.nextInt(32)] = rng.nextBoolean() ? 127f : -8f;
                for (int j = 0; j < 32; j++) {
                    float h = rng.nextInt(-126, 127) + 0.5f;
                    block[j] = block[j] == 127f || block[j] == -8f ? block[j]
                            : switch (rng.nextInt(3)) {
                                case 0 -> h;
                                case 1 -> Math.nextUp(h);
                                default -> Math.nextDown(h);
                            } / (rng.nextBoolean() ? 1f : 16f);
                }
            }
            case 2 -> java.util.Arrays.fill(block, rng.nextBoolean() ? 0f : -0f);
            case 3 -> {
                // the largest magnitude more than once, with either sign: Q4_0 takes the first
                float m = block[0] * 4;
                for (int k = 0; k < 3; k++) {
                    block[rng.nextInt(32)] = rng.nextBoolean() ? m : -m;
                }
            }
            case 4 -> {
                for (int j = 0; j < 32; j++) {
                    block[j] = Float.MIN_VALUE * rng.nextInt(-1000, 1000);
                }
            }
            case 5 -> {
                // one value dwarfs the rest, and some zeros of both signs
                block[rng.nextInt(32)] = (float) (rng.nextGaussian() * 1e4);
                block[rng.nextInt(32)] = -0f;
                block[rng.nextInt(32)] = 0f;
            }
            case 6 -> {
                // near the largest scale float16 holds for Q4_0 (65504 · 8)
                block[rng.nextInt(32)] = rng.nextBoolean() ? 5.2e5f : -5.2e5f;
            }
            case 7 -> block[rng.nextInt(32)] = Float.NaN;
            case 8 -> block[rng.nextInt(32)] = rng.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
            case 9 -> block[rng.nextInt(32)] = 3e38f; // finite, but its scale overflows float16
            default -> {
            }
        }
    }
}
