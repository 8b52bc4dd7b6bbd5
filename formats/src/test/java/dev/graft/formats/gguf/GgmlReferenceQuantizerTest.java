package dev.graft.formats.gguf;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graft's block quantizers against ggml's own: {@code quantize_row_q8_0_ref}, {@code _q4_0_ref},
 * {@code _q4_K_ref} and {@code _q6_K_ref} called in the {@code libggml-base.so} that node-llama-cpp ships (the
 * llama.cpp build the GGUF oracle step installs, pinned in {@code cli/src/test/gguf-oracle/package-lock.json}).
 * These are the functions llama-quantize runs without an importance matrix, so equal bytes here mean a Graft export
 * holds the blocks llama.cpp itself would write.
 *
 * <p>Like the Node.js oracles this fails, rather than skips, when the library is missing, so CI cannot pass without
 * it; {@code GRAFT_SKIP_NODE=1} skips it where the oracle step cannot run (it ships Linux x64 binaries only).
 */
class GgmlReferenceQuantizerTest {
    private static final Path LIBRARY = Path.of("../cli/src/test/gguf-oracle/node_modules/@node-llama-cpp/linux-x64"
            + "/bins/linux-x64/libggml-base.so").toAbsolutePath().normalize();
    private static final int SUPER_BLOCKS = 600;

    private static SymbolLookup ggml;

    @BeforeAll
    static void load() {
        if (System.getenv("GRAFT_SKIP_NODE") != null) {
            Assumptions.abort("GRAFT_SKIP_NODE is set: ggml's reference quantizers are not run");
        }
        assertThat(Files.isRegularFile(LIBRARY))
                .as("%s is missing: run scripts/install-gguf-oracle.sh (or set GRAFT_SKIP_NODE=1 to skip)", LIBRARY)
                .isTrue();
        ggml = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
    }

    @Test
    void q8_0IsGgmlsBlockForBlock() throws Throwable {
        compare(GgufTensorType.Q8_0, "quantize_row_q8_0_ref", 1);
    }

    @Test
    void q4_0IsGgmlsBlockForBlock() throws Throwable {
        compare(GgufTensorType.Q4_0, "quantize_row_q4_0_ref", 2);
    }

    @Test
    void q4_KIsGgmlsBlockForBlock() throws Throwable {
        compare(GgufTensorType.Q4_K, "quantize_row_q4_K_ref", 3);
    }

    @Test
    void q6_KIsGgmlsBlockForBlock() throws Throwable {
        compare(GgufTensorType.Q6_K, "quantize_row_q6_K_ref", 4);
    }

    /** Quantizes {@link #SUPER_BLOCKS} rows of 256 elements, of every kind {@link #fill} makes, both ways. */
    private static void compare(GgufTensorType type, String function, long seed) throws Throwable {
        MethodHandle reference = Linker.nativeLinker().downcallHandle(ggml.find(function).orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        BlockCodec graft = BlockCodec.of(type);
        int n = 256;
        int blocks = n / type.blockElements();
        int bytes = blocks * type.blockBytes();
        SplittableRandom rng = new SplittableRandom(seed);
        float[] row = new float[n];
        byte[] ours = new byte[bytes];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(ValueLayout.JAVA_FLOAT, n);
            MemorySegment out = arena.allocate(bytes);
            for (int r = 0; r < SUPER_BLOCKS; r++) {
                fill(row, r % 8, rng);
                MemorySegment.copy(row, 0, in, ValueLayout.JAVA_FLOAT, 0, n);
                reference.invokeExact(in, out, (long) n);
                graft.quantize(row, 0, blocks, ours, 0);
                byte[] theirs = out.toArray(ValueLayout.JAVA_BYTE);
                assertThat(Arrays.mismatch(ours, theirs))
                        .as("%s row %d (kind %d) differs from ggml's %s at that byte: %s", type, r, r % 8, function,
                                Arrays.toString(row))
                        .isEqualTo(-1);
            }
        }
    }

    /** A row of kind {@code kind} (0 … 7): the cases that take different paths through the scale searches. */
    private static void fill(float[] row, int kind, SplittableRandom rng) {
        double scale = Math.pow(10, rng.nextInt(-5, 3));
        for (int j = 0; j < row.length; j++) {
            row[j] = (float) (rng.nextGaussian() * scale);
        }
        switch (kind) {
            case 1 -> {
                // sub-blocks of very different magnitudes, some all zero
                for (int s = 0; s < row.length / 16; s++) {
                    double m = rng.nextInt(4) == 0 ? 0 : Math.pow(10, rng.nextInt(-4, 2));
                    for (int j = 0; j < 16; j++) {
                        row[s * 16 + j] *= (float) m;
                    }
                }
            }
            case 2 -> Arrays.fill(row, 0f);
            case 3 -> {
                // one outlier per 32, like a fine-tune's large deltas
                for (int b = 0; b < row.length / 32; b++) {
                    row[b * 32 + rng.nextInt(32)] = (float) (rng.nextGaussian() * scale * 50);
                }
            }
            case 4 -> {
                // exact halves after scaling: amax 127 gives Q8_0 a scale of 1
                for (int j = 0; j < row.length; j++) {
                    row[j] = rng.nextInt(-126, 127) + 0.5f;
                }
                row[rng.nextInt(row.length)] = 127f;
            }
            case 5 -> {
                // all positive (Q4_K's minimum is zero) or all negative
                boolean negative = rng.nextBoolean();
                for (int j = 0; j < row.length; j++) {
                    row[j] = Math.abs(row[j]) * (negative ? -1 : 1);
                }
            }
            case 6 -> {
                // few distinct values, as a bf16 delta has: ties in every search
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) (scale * (rng.nextInt(9) - 4) / 4);
                }
            }
            default -> {
            }
        }
    }
}
