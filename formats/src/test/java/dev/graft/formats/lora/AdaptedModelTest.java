package dev.graft.formats.lora;

import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.peft.AdapterConfig;
import dev.graft.formats.peft.AdapterFormatException;
import dev.graft.formats.peft.LoraKeys;
import dev.graft.formats.peft.PeftAdapter;
import dev.graft.formats.peft.PeftAdapterWriter;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.NonFiniteValuesException;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * PEFT's arithmetic on a model as it is read, against values worked out here by hand from PEFT's definitions
 * ({@code lora/layer.py}, {@code lora/variants.py}, {@code lora/dora.py}). The inputs are small integers and the
 * scalings powers of two or integers, so every expected value is exact in float32 whatever the order of operations.
 */
class AdaptedModelTest {
    private static final String Q = "model.layers.0.self_attn.q_proj";
    private static final String V = "model.layers.0.self_attn.v_proj";

    @TempDir
    Path dir;

    // ---- fixtures

    private static Tensor tensor(String name, DType dtype, Shape shape, double... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return Tensor.fromFloats(name, dtype, shape, f);
    }

    private static Tensor f32(String name, Shape shape, double... values) {
        return tensor(name, DType.F32, shape, values);
    }

    private Path model(String name, Tensor... tensors) {
        Path folder = dir.resolve(name);
        try (SafetensorsWriter w = SafetensorsWriter.create(folder.resolve("model.safetensors"),
                List.of(tensors).stream().map(Tensor::spec).toList(), null, false)) {
            for (Tensor t : tensors) {
                w.write(t);
            }
            w.commit();
        }
        return folder;
    }

    private Path adapter(String name, AdapterConfig config, Tensor... tensors) {
        Path folder = dir.resolve(name);
        try (PeftAdapterWriter w = PeftAdapterWriter.create(folder, config, List.of(tensors).stream()
                .map(Tensor::spec).toList(), false)) {
            for (Tensor t : tensors) {
                w.write(t);
            }
            w.commit();
        }
        return folder;
    }

    private static AdapterConfig config(int r, double alpha) {
        return AdapterConfig.lora(r, alpha, List.of("q_proj", "v_proj"), null);
    }

    private static float[] read(ModelSource m, String name) {
        try (Arena arena = Arena.ofConfined()) {
            return m.tensor(name, arena).toFloatArray();
        }
    }

    /** {@code w + s · B·A}, row-major, {@code [out, in]}. */
    private static double[] plusProduct(double[] w, double s, double[] b, double[] a, int out, int r, int in) {
        double[] result = w.clone();
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                double sum = 0;
                for (int k = 0; k < r; k++) {
                    sum += b[i * r + k] * a[k * in + j];
                }
                result[i * in + j] += s * sum;
            }
        }
        return result;
    }

    private static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    // ---- scaling

    private static final double[] W = {1, 2, 3, 4, 5, 6};          // [3, 2]
    private static final double[] A2 = {1, 0, 2, -1};              // [2, 2]
    private static final double[] B2 = {1, 1, 0, 2, -1, 3};        // [3, 2]

    @Test
    void addsAlphaOverRTimesBA() {
        Path m = model("m", f32(Q + ".weight", Shape.of(3, 2), W), f32("model.norm.weight", Shape.of(2), 7, 8));
        Path a = adapter("a", config(2, 4), f32(LoraKeys.loraA(Q), Shape.of(2, 2), A2),
                f32(LoraKeys.loraB(Q), Shape.of(3, 2), B2));
        try (AdaptedModel am = AdaptedModel.open(m, a, false)) {
            // lora_alpha / r = 4 / 2 = 2
            assertThat(read(am, Q + ".weight")).containsExactly(floats(plusProduct(W, 2, B2, A2, 3, 2, 2)));
            assertThat(read(am, "model.norm.weight")).containsExactly(7, 8);
            assertThat(am.adaptedTensors()).containsExactly(Q + ".weight");
            assertThat(am.tensors()).isEqualTo(am.model().tensors());
            assertThat(am.path()).isEqualTo(m);
            assertThat(am.inputs()).containsExactly(m, a);
            assertThat(am.tensor(Q + ".weight").toFloatArray()).containsExactly(read(am, Q + ".weight"));
            List<Float> streamed = new ArrayList<>();
            try (Arena arena = Arena.ofConfined()) {
                am.stream("model.norm.weight", arena, (values, first, count) -> {
                    for (int i = 0; i < count; i++) {
                        streamed.add(values[i]);
                    }
                });
            }
            assertThat(streamed).containsExactly(7f, 8f);
        }
    }

    @Test
    void rsLoraScalesByAlphaOverSqrtR() {
        double[] a4 = {1, 0, 0, 1, 1, 1, 2, 0};                   // [4, 2]
        double[] b4 = {1, 0, 0, 1, 0, 1, 1, 0, 2, 0, 0, -1};      // [3, 4]
        Path m = model("m", f32(Q + ".weight", Shape.of(3, 2), W));
        Path a = adapter("a", config(4, 4).withFlag("use_rslora", true), f32(LoraKeys.loraA(Q), Shape.of(4, 2), a4),
                f32(LoraKeys.loraB(Q), Shape.of(3, 4), b4));
        try (AdaptedModel am = AdaptedModel.open(m, a, false)) {
            // 4 / √4 = 2, where lora_alpha / r would be 1
            assertThat(read(am, Q + ".weight")).containsExactly(floats(plusProduct(W, 2, b4, a4, 3, 4, 2)));
        }
    }

    @Test
    void rankAndAlphaPatternsSetEachModulesScaling() {
        double[] a1 = {2, 1};                                        // [1, 2]
        double[] b1 = {1, -1, 2};                                    // [3, 1]
        Path m = model("m", f32(Q + ".weight", Shape.of(3, 2), W), f32(V + ".weight", Shape.of(3, 2), W));
        // r = 2, lora_alpha = 8 (scaling 4) but v_proj: r = 1, alpha = 3 (scaling 3)
        AdapterConfig c = config(2, 8).withRanks(2, 8, Map.of("v_proj", 1), Map.of("v_proj", 3.0));
        Path a = adapter("a", c, f32(LoraKeys.loraA(Q), Shape.of(2, 2), A2), f32(LoraKeys.loraB(Q), Shape.of(3, 2), B2),
                f32(LoraKeys.loraA(V), Shape.of(1, 2), a1), f32(LoraKeys.loraB(V), Shape.of(3, 1), b1));
        try (AdaptedModel am = AdaptedModel.open(m, a, false)) {
            assertThat(read(am, Q + ".weight")).containsExactly(floats(plusProduct(W, 4, B2, A2, 3, 2, 2)));
            assertThat(read(am, V + ".weight")).containsExactly(floats(plusProduct(W, 3, b1, a1, 3, 1, 2)));
        }
    }

    @Test
    void fanInFanOutAddsTheTransposeExceptToTheOutputHead() {
        String attn = "transformer.h.0.attn.c_attn";
        double[] stored = transpose(W, 3, 2);                           // Conv1D: [in 2, out 3]
        Path m = model("m", f32(attn + ".weight", Shape.of(2, 3), stored), f32("lm_head.weight", Shape.of(3, 2), W));
        Path a = adapter("a", AdapterConfig.lora(2, 2, List.of("c_attn", "lm_head"), null).withFlag("fan_in_fan_out", true),
                f32(LoraKeys.loraA(attn), Shape.of(2, 2), A2), f32(LoraKeys.loraB(attn), Shape.of(3, 2), B2),
                f32(LoraKeys.loraA("lm_head"), Shape.of(2, 2), A2), f32(LoraKeys.loraB("lm_head"), Shape.of(3, 2), B2));
        try (AdaptedModel am = AdaptedModel.open(m, a, false)) {
            assertThat(read(am, attn + ".weight"))
                    .containsExactly(floats(transpose(plusProduct(W, 1, B2, A2, 3, 2, 2), 3, 2)));
            // an nn.Linear: PEFT turns fan_in_fan_out off for it
            assertThat(read(am, "lm_head.weight")).containsExactly(floats(plusProduct(W, 1, B2, A2, 3, 2, 2)));
        }
    }

    // ---- DoRA: W' = m ⊙ V / ‖V‖ per row of the [out, in] form, V = W + s·B·A

    /** W [3, 2] whose V = W + 2·B·A has rows (3, 4), (6, 8), (0, 5): norms 5, 10, 5. */
    private static final double[] DORA_W = {3, 2, 6, 6, 0, 3};
    private static final double[] DORA_A = {0, 1};                   // [1, 2]
    private static final double[] DORA_B = {1, 1, 1};               // [3, 1]
    private static final double[] MAGNITUDE = {10, 5, 15};
    /** Rows scaled by 10/5, 5/10, 15/5. */
    private static final double[] DORA_EXPECTED = {6, 8, 3, 4, 0, 15};

    private AdapterConfig dora() {
        return AdapterConfig.lora(1, 2, List.of("q_proj", "c_attn"), null).withFlag("use_dora", true);
    }

    @Test
    void doraRescalesEachOutputRowToItsMagnitude() {
        Path m = model("m", f32(Q + ".weight", Shape.of(3, 2), DORA_W));
        Path a = adapter("a", dora(), f32(LoraKeys.loraA(Q), Shape.of(1, 2), DORA_A),
                f32(LoraKeys.loraB(Q), Shape.of(3, 1), DORA_B), f32(LoraKeys.doraMagnitude(Q), Shape.of(3), MAGNITUDE));
        assertThat(plusProduct(DORA_W, 2, DORA_B, DORA_A, 3, 1, 2)).containsExactly(3, 4, 6, 8, 0, 5);
        try (AdaptedModel am = AdaptedModel.open(m, a, false)) {
            assertThat(read(am, Q + ".weight")).containsExactly(floats(DORA_EXPECTED));
        }
    }

    /** A stored [2, 3] weight, the transpose of its [out 3, in 2] form: the norms run down its columns. */
    private void assertColumnsRescaled(String module, AdapterConfig config, String keyA, String keyB) {
        Path m = model("m", f32(module + ".weight", Shape.of(2, 3), transpose(DORA_W, 3, 2)));
        Path a = adapter("a", config, f32(keyA, Shape.of(1, 2), DORA_A), f32(keyB, Shape.of(3, 1), DORA_B),
                f32(LoraKeys.doraMagnitude(module), Shape.of(3), MAGNITUDE));
        try (AdaptedModel am = AdaptedModel.open(m, a, false)) {
            assertThat(read(am, module + ".weight")).containsExactly(floats(transpose(DORA_EXPECTED, 3, 2)));
        }
    }

    @Test
    void doraOnAConv1DRescalesStoredColumns() {
        String attn = "transformer.h.0.attn.c_attn";
        assertColumnsRescaled(attn, dora().withFlag("fan_in_fan_out", true), LoraKeys.loraA(attn), LoraKeys.loraB(attn));
    }

    @Test
    void doraOnAnEmbeddingRescalesEachEmbeddingDimension() {
        // stored [num 2, dim 3]; lora_embedding_A [1, 2], lora_embedding_B [3, 1]; magnitude over the 3 dimensions
        String emb = "model.embed_tokens";
        assertColumnsRescaled(emb, dora(), LoraKeys.embeddingA(emb), LoraKeys.embeddingB(emb));
    }

    // ---- biases, modules_to_save, weights, dtypes

    @Test
    void biasesAddAndSavedTensorsMoveTheModelsByTheirWeights() {
        Path m = model("m", f32(Q + ".weight", Shape.of(3, 2), W), f32(Q + ".bias", Shape.of(3), 1, 1, 1),
                f32("model.norm.weight", Shape.of(2), 4, 8));
        Path a = adapter("a", config(2, 4).withFlag("lora_bias", true), f32(LoraKeys.loraA(Q), Shape.of(2, 2), A2),
                f32(LoraKeys.loraB(Q), Shape.of(3, 2), B2), f32(LoraKeys.loraBBias(Q), Shape.of(3), 1, 2, 3),
                f32(LoraKeys.savedModule("model.norm.weight"), Shape.of(2), 2, 2));
        try (AdaptedModel one = AdaptedModel.open(m, a, false)) {
            assertThat(read(one, Q + ".bias")).containsExactly(1 + 2 * 1, 1 + 2 * 2, 1 + 2 * 3);
            // one adapter of weight 1: the saved tensor replaces the model's
            assertThat(read(one, "model.norm.weight")).containsExactly(2, 2);
        }
        try (AdaptedModel half = AdaptedModel.of(ModelSource.open(m), List.of(a, a), List.of(0.5, -0.25), false)) {
            // scaling 2, weights 0.5 and -0.25: 0.25 · (B·A) and 0.25 · bias in all
            assertThat(read(half, Q + ".weight")).containsExactly(floats(plusProduct(W, 0.5, B2, A2, 3, 2, 2)));
            assertThat(read(half, Q + ".bias")).containsExactly(1 + 0.5f, 1 + 1f, 1 + 1.5f);
            // W + 0.5·(S − W) − 0.25·(S − W)
            assertThat(read(half, "model.norm.weight")).containsExactly(4 + 0.25f * (2 - 4), 8 + 0.25f * (2 - 8));
        }
    }

    /** float32 to bfloat16, round to nearest even, as torch's {@code .to(torch.bfloat16)}. */
    private static float bf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        int rounded = (bits + 0x7fff + ((bits >>> 16) & 1)) & 0xffff0000;
        return Float.intBitsToFloat(rounded);
    }

    @Test
    void anAdaptedTensorKeepsTheModelsDtypeRoundedOnceFromFloat32() {
        // W = 1 in bf16; deltas 2^-8 + 2^-12 (rounds up to 1 + 2^-7) and 2^-8 (a tie: to even, 1)
        Path m = model("m", tensor(Q + ".weight", DType.BF16, Shape.of(2, 1), 1, 1));
        double small = Math.scalb(1.0, -8);
        Path a = adapter("a", AdapterConfig.lora(1, 1, List.of("q_proj"), null), f32(LoraKeys.loraA(Q), Shape.of(1, 1), 1),
                f32(LoraKeys.loraB(Q), Shape.of(2, 1), small + Math.scalb(1.0, -12), small));
        try (AdaptedModel am = AdaptedModel.open(m, a, false); Arena arena = Arena.ofConfined()) {
            Tensor t = am.tensor(Q + ".weight", arena);
            assertThat(t.dtype()).isEqualTo(DType.BF16);
            assertThat(t.toFloatArray()).containsExactly(bf16((float) (1 + small + Math.scalb(1.0, -12))),
                    bf16((float) (1 + small)));
            assertThat(t.toFloatArray()).containsExactly(1 + Math.scalb(1f, -7), 1f);
            List<Float> streamed = new ArrayList<>();
            am.stream(Q + ".weight", arena, (values, first, count) -> {
                for (int i = 0; i < count; i++) {
                    streamed.add(values[i]);
                }
            });
            // before rounding: float32
            assertThat(streamed).containsExactly((float) (1 + small + Math.scalb(1.0, -12)), (float) (1 + small));
        }
    }

    // ---- refusals, before any work

    private <T extends Throwable> T refused(Class<T> type, Path model, Path adapter) {
        return catchThrowableOfType(type, () -> AdaptedModel.open(model, adapter, false).close());
    }

    @Test
    void aModuleTheModelLacksIsRefusedNamingTheAdapterModuleAndTensor() {
        Path m = model("m", f32(Q + ".weight", Shape.of(3, 2), W));
        Path a = adapter("a", config(2, 4), f32(LoraKeys.loraA(V), Shape.of(2, 2), A2),
                f32(LoraKeys.loraB(V), Shape.of(3, 2), B2));
        assertThat(refused(AdapterMismatchException.class, m, a)).hasMessage(a.resolve(PeftAdapter.WEIGHTS_FILE)
                + ": module \"" + V + "\" adapts tensor \"" + V + ".weight\", which the model " + m + " does not have");
    }

    @Test
    void factorsOfAnotherShapeAreRefused() {
        Path m = model("m", f32(Q + ".weight", Shape.of(2, 3), W));
        Path a = adapter("a", config(2, 4), f32(LoraKeys.loraA(Q), Shape.of(2, 2), A2),
                f32(LoraKeys.loraB(Q), Shape.of(3, 2), B2));
        assertThat(refused(AdapterMismatchException.class, m, a)).hasMessage(a.resolve(PeftAdapter.WEIGHTS_FILE)
                + ": LoRA factors of \"" + Q + "\" make a [3, 2] delta, but tensor \"" + Q + ".weight\" of " + m
                + " is [2, 3]");
    }

    @Test
    void aBiasOrSavedTensorOfAnotherShapeOrMissingIsRefused() {
        Path m = model("m", f32(Q + ".weight", Shape.of(3, 2), W), f32(Q + ".bias", Shape.of(2), 1, 1));
        Path bias = adapter("bias", config(2, 4).withFlag("lora_bias", true), f32(LoraKeys.loraA(Q), Shape.of(2, 2), A2),
                f32(LoraKeys.loraB(Q), Shape.of(3, 2), B2), f32(LoraKeys.loraBBias(Q), Shape.of(3), 1, 2, 3));
        assertThat(refused(AdapterMismatchException.class, m, bias)).hasMessage(bias.resolve(PeftAdapter.WEIGHTS_FILE)
                + ": tensor \"" + LoraKeys.loraBBias(Q) + "\" is [3] but \"" + Q + ".bias\" of " + m + " is [2]");
        Path saved = adapter("saved", config(2, 4), f32(LoraKeys.savedModule("score.weight"), Shape.of(2), 1, 2));
        assertThat(refused(AdapterMismatchException.class, m, saved)).hasMessage(saved.resolve(PeftAdapter.WEIGHTS_FILE)
                + ": modules_to_save tensor \"base_model.model.score.weight\" adapts tensor \"score.weight\", which the "
                + "model " + m + " does not have");
    }

    @Test
    void doraAdaptersMustBeWholeAndAlone() {
        Path m = model("m", f32(Q + ".weight", Shape.of(3, 2), DORA_W));
        Tensor a = f32(LoraKeys.loraA(Q), Shape.of(1, 2), DORA_A);
        Tensor b = f32(LoraKeys.loraB(Q), Shape.of(3, 1), DORA_B);
        Path noMagnitude = adapter("none", dora(), a, b);
        assertThat(refused(AdapterFormatException.class, m, noMagnitude)).hasMessage(
                noMagnitude.resolve(PeftAdapter.WEIGHTS_FILE) + ": module \"" + Q + "\" has LoRA factors but no "
                        + LoraKeys.doraMagnitude(Q) + ", which use_dora: true in adapter_config.json requires");
        Path wrong = adapter("wrong", dora(), a, b, f32(LoraKeys.doraMagnitude(Q), Shape.of(2), 1, 1));
        assertThat(refused(AdapterFormatException.class, m, wrong)).hasMessage(wrong.resolve(PeftAdapter.WEIGHTS_FILE)
                + ": DoRA magnitude \"" + LoraKeys.doraMagnitude(Q) + "\" is [2] but module \"" + Q + "\" has 3 "
                + "outputs (lora_B is [3, 1])");
        Path notDora = adapter("plain", dora().with("use_dora", BooleanNode.FALSE), a, b,
                f32(LoraKeys.doraMagnitude(Q), Shape.of(3), MAGNITUDE));
        assertThat(refused(AdapterFormatException.class, m, notDora)).hasMessage(notDora.resolve(PeftAdapter.WEIGHTS_FILE)
                + ": tensor \"" + LoraKeys.doraMagnitude(Q) + "\" is a DoRA magnitude but adapter_config.json does not "
                + "set use_dora: true");

        Path good = adapter("good", dora(), a, b, f32(LoraKeys.doraMagnitude(Q), Shape.of(3), MAGNITUDE));
        AdapterMismatchException weighted = catchThrowableOfType(AdapterMismatchException.class, () ->
                AdaptedModel.of(ModelSource.open(m), List.of(good), List.of(0.5), false).close());
        assertThat(weighted).hasMessage(good.resolve(PeftAdapter.WEIGHTS_FILE) + ": module \"" + Q + "\" is DoRA, "
                + "whose magnitudes replace the norms of \"" + Q + ".weight\"; it applies at weight 1 only, not 0.5");
        Path plain = adapter("lora", AdapterConfig.lora(1, 2, List.of("q_proj"), null), a, b);
        AdapterMismatchException shared = catchThrowableOfType(AdapterMismatchException.class, () ->
                AdaptedModel.of(ModelSource.open(m), List.of(good, plain), List.of(1.0, 1.0), false).close());
        assertThat(shared).hasMessage(plain.resolve(PeftAdapter.WEIGHTS_FILE) + ": tensor \"" + Q + ".weight\" has a "
                + "DoRA update, which rescales the whole weight, and another adapter's update; apply a DoRA adapter "
                + "alone");
    }

    @Test
    void aMissingAdapterFolderIsSaidSo() {
        Path m = model("m", f32(Q + ".weight", Shape.of(3, 2), W));
        assertThat(refused(AdapterFormatException.class, m, dir.resolve("nosuch")))
                .hasMessage(dir.resolve("nosuch") + ": no such folder");
    }

    @Test
    void anOverflowFromFiniteInputsIsRefusedUnlessAllowed() {
        Path m = model("m", f32(Q + ".weight", Shape.of(3, 2), W));
        Path a = adapter("a", config(2, 4), f32(LoraKeys.loraA(Q), Shape.of(2, 2), 3e38, 0, 0, 0),
                f32(LoraKeys.loraB(Q), Shape.of(3, 2), 1, 0, 0, 0, 0, 0));
        try (AdaptedModel am = AdaptedModel.open(m, a, false); Arena arena = Arena.ofConfined()) {
            NonFiniteValuesException e = catchThrowableOfType(NonFiniteValuesException.class,
                    () -> am.tensor(Q + ".weight", arena));
            assertThat(e).hasMessage(m + ": applying adapter " + a + " to tensor \"" + Q + ".weight\" gave 1 "
                    + "non-finite values from finite inputs (do the adapter weights overflow float32?); nothing was "
                    + "written");
        }
        try (AdaptedModel am = AdaptedModel.open(m, a, true)) {
            assertThat(read(am, Q + ".weight")[0]).isEqualTo(Float.POSITIVE_INFINITY);
        }
    }
}
