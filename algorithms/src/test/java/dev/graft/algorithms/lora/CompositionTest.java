package dev.graft.algorithms.lora;

import dev.graft.formats.lora.AdapterMismatchException;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.peft.AdapterConfig;
import dev.graft.formats.peft.LoraModule;
import dev.graft.formats.peft.PeftAdapter;
import dev.graft.formats.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

/** {@code graft lora combine}: PEFT's add_weighted_adapter semantics, without its known bugs. */
class CompositionTest {
    private static final String Q = "model.layers.0.self_attn.q_proj";
    private static final String V = "model.layers.0.self_attn.v_proj";

    @TempDir
    Path dir;

    private TestAdapter first() {
        return new TestAdapter(4, 8).module(Q, 24, 16, 1).module(V, 12, 16, 3);
    }

    private TestAdapter second() {
        // rsLoRA, another rank and alpha, and only one of the modules
        return new TestAdapter(2, 4).rslora().module(Q, 24, 16, 5);
    }

    private static void assertDelta(Path adapter, String module, double[] expected, double tolerance) {
        try (PeftAdapter a = PeftAdapter.open(adapter)) {
            LoraModule m = a.modules().stream().filter(x -> x.module().equals(module)).findFirst().orElseThrow();
            double[] got = Matrices.delta(m);
            assertThat(Matrices.distance(got, expected)).as(module)
                    .isLessThanOrEqualTo(tolerance * Math.max(1, Matrices.norm(expected)));
        }
    }

    private static double[] weighted(double w1, double[] d1, double w2, double[] d2) {
        double[] out = new double[d1.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = w1 * d1[i] + w2 * d2[i];
        }
        return out;
    }

    @Test
    void catIsExactWithNegativeWeightsRslorAndRanksThatDiffer() {
        TestAdapter x = first();
        TestAdapter y = second();
        Path px = x.write(dir.resolve("x"));
        Path py = y.write(dir.resolve("y"));
        LoraComposition.CompositionReport report = LoraComposition.of(CombinationMethod.CAT)
                .adapter(px, 1.0).adapter(py, -0.5).write(dir.resolve("cat"));

        assertThat(report.modules()).extracting(ModuleReport::rank).containsExactly(6, 4);
        AdapterConfig c = AdapterConfig.read(dir.resolve("cat/adapter_config.json"));
        assertThat(c.r()).isEqualTo(6);
        assertThat(c.useRslora()).isFalse();
        assertThat(c.rankFor(V)).isEqualTo(4);
        assertThat(c.scalingFor(Q)).isEqualTo(1.0);
        assertThat(c.scalingFor(V)).isEqualTo(1.0);
        assertDelta(dir.resolve("cat"), Q, weighted(1, x.delta(Q), -0.5, y.delta(Q)), 1e-6);
        assertDelta(dir.resolve("cat"), V, x.delta(V), 1e-6);
    }

    @Test
    void linearSumsTheFactorsAsPeftDoesCrossTermsIncluded() {
        TestAdapter x = first();
        TestAdapter y = new TestAdapter(4, 2).module(Q, 24, 16, 7);
        Path px = x.write(dir.resolve("x"));
        Path py = y.write(dir.resolve("y"));
        LoraComposition.of(CombinationMethod.LINEAR).adapter(px, 0.7).adapter(py, -0.3).write(dir.resolve("lin"));

        double wx = 0.7 * x.scaling();
        double wy = -0.3 * y.scaling();
        try (PeftAdapter a = PeftAdapter.open(dir.resolve("lin"))) {
            LoraModule q = a.modules().getFirst();
            float[] gotA = q.a().toFloatArray();
            float[] gotB = q.b().toFloatArray();
            for (int i = 0; i < gotA.length; i++) {
                double expected = Math.sqrt(wx) * x.a(Q)[i] - Math.sqrt(-wy) * y.a(Q)[i];
                assertThat((double) gotA[i]).isCloseTo(expected, within(1e-6));
            }
            for (int i = 0; i < gotB.length; i++) {
                double expected = Math.sqrt(wx) * x.b(Q)[i] + Math.sqrt(-wy) * y.b(Q)[i];
                assertThat((double) gotB[i]).isCloseTo(expected, within(1e-6));
            }
        }
    }

    @Test
    void linearRefusesRanksThatDiffer() {
        Path px = first().write(dir.resolve("x"));
        Path py = second().write(dir.resolve("y"));
        AdapterMismatchException e = catchThrowableOfType(AdapterMismatchException.class, () ->
                LoraComposition.of(CombinationMethod.LINEAR).adapter(px, 1).adapter(py, 1).write(dir.resolve("o")));
        assertThat(e).hasMessage(py.resolve("adapter_model.safetensors") + ": module \"" + Q + "\" has rank 2 here but 4 in "
                + px + "; linear needs equal ranks (use cat, exact, or svd)");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void svdRefactorsTheWeightedSumScaledOnce() {
        TestAdapter x = first();
        TestAdapter y = second();
        Path px = x.write(dir.resolve("x"));
        Path py = y.write(dir.resolve("y"));
        // rank 6 holds the whole sum of a rank-4 and a rank-2 delta: the result is the sum itself
        LoraComposition.CompositionReport r = LoraComposition.of(CombinationMethod.SVD)
                .adapter(px, 2.0).adapter(py, -1.0).rank(6).write(dir.resolve("svd"));
        assertDelta(dir.resolve("svd"), Q, weighted(2, x.delta(Q), -1, y.delta(Q)), 1e-5);
        assertDelta(dir.resolve("svd"), V, weighted(2, x.delta(V), 0, x.delta(V)), 1e-5);
        assertThat(r.modules().getFirst().energy()).isCloseTo(1.0, within(1e-6));
        // default rank: the largest input rank (4), as PEFT
        LoraComposition.of(CombinationMethod.SVD).adapter(px, 1).adapter(py, 1).write(dir.resolve("svd4"));
        assertThat(AdapterConfig.read(dir.resolve("svd4/adapter_config.json")).r()).isEqualTo(4);
    }

    @Test
    void negationUndoesAnAdapter() {
        TestAdapter x = first();
        Path px = x.write(dir.resolve("x"));
        Path neg = dir.resolve("neg");
        LoraComposition.of(CombinationMethod.CAT).adapter(px, -1).write(neg);
        assertDelta(neg, Q, weighted(-1, x.delta(Q), 0, x.delta(Q)), 1e-6);

        Path base = new Matrices.Model()
                .put(Q + ".weight", Shape.of(24, 16), Matrices.gaussian(24 * 16, 1, 11))
                .put(V + ".weight", Shape.of(12, 16), Matrices.gaussian(12 * 16, 1, 12))
                .write(dir.resolve("base.safetensors"));
        Path out = dir.resolve("out.safetensors");
        LoraApplication.to(base).adapter(px, 1).adapter(neg, 1).write(out);
        try (ModelSource b = ModelSource.open(base); ModelSource o = ModelSource.open(out)) {
            for (String t : List.of(Q + ".weight", V + ".weight")) {
                double[] bv = Matrices.toDouble(b.tensor(t).toFloatArray());
                double[] ov = Matrices.toDouble(o.tensor(t).toFloatArray());
                assertThat(Matrices.distance(bv, ov)).as(t).isLessThan(1e-5);
            }
        }
    }

    @Test
    void applyScalesByAlphaOverRootRWithRsloraAndWeighs() {
        TestAdapter y = second();
        Path py = y.write(dir.resolve("y"));
        float[] w = Matrices.gaussian(24 * 16, 1, 11);
        Path base = new Matrices.Model().put(Q + ".weight", Shape.of(24, 16), w).write(dir.resolve("base.safetensors"));
        Path out = dir.resolve("out.safetensors");
        LoraApplication.to(base).adapter(py, 0.5).write(out);
        assertThat(y.scaling()).isEqualTo(4 / Math.sqrt(2));
        double[] d = y.delta(Q);
        try (ModelSource o = ModelSource.open(out)) {
            float[] got = o.tensor(Q + ".weight").toFloatArray();
            for (int i = 0; i < got.length; i++) {
                assertThat((double) got[i]).isCloseTo(w[i] + 0.5 * d[i], within(1e-5));
            }
        }
    }

    @Test
    void tiesSvdElectsSignsOnTheUnweightedDeltasAndAveragesTheAgreeingOnes() {
        float[][] deltas = {{3, -1, 0, 2}, {-1, -2, 5, 2}};
        float[] out = new DeltaCombiner(CombinationMethod.TIES_SVD, 1, DeltaCombiner.MajoritySign.TOTAL, 0)
                .combine("m", deltas, new double[] {1, 0.5}, new int[] {0, 1});
        // signs: Σ = (2, -3, 5, 4) → (+, -, +, +); element 0 keeps 3 only, element 1 both, element 2 the 5
        assertThat(out).containsExactly(3f, (-1f - 1f) / 2, 2.5f, (2f + 1f) / 2);
        float[][] pruned = {{3, -1, 0, 2}, {-1, -2, 5, 2}};
        float[] half = new DeltaCombiner(CombinationMethod.MAGNITUDE_PRUNE_SVD, 0.5, DeltaCombiner.MajoritySign.TOTAL, 0)
                .combine("m", pruned, new double[] {1, 1}, new int[] {0, 1});
        // int(0.5·4) = 2 largest magnitudes each: {3, 2} and {5, -2}
        assertThat(half).containsExactly(3f, -2f, 5f, 2f);
    }

    @Test
    void dareKeepsAboutTheDensityAndRescalesTheSurvivors() {
        float[] d = new float[10000];
        java.util.Arrays.fill(d, 1f);
        float[] out = new DeltaCombiner(CombinationMethod.DARE_LINEAR_SVD, 0.25, DeltaCombiner.MajoritySign.TOTAL, 3)
                .combine("m", new float[][] {d}, new double[] {1}, new int[] {0});
        long kept = 0;
        for (float v : out) {
            assertThat(v).isIn(0f, 4f);
            kept += v == 4f ? 1 : 0;
        }
        assertThat(kept).isBetween(2350L, 2650L);
    }

    @Test
    void adaptersWithModulesToSaveAndNoKnownBaseAreRefused() {
        // base_model_name_or_path "base" is relative to a folder nobody recorded: no base to combine against
        Path px = first().other("base_model.model.model.norm.weight", new float[] {1, 2}).write(dir.resolve("x"));
        AdapterMismatchException e = catchThrowableOfType(AdapterMismatchException.class, () ->
                LoraComposition.of(CombinationMethod.CAT).adapter(px, 1).write(dir.resolve("o")));
        assertThat(e.getMessage()).isEqualTo(px.resolve("adapter_model.safetensors") + ": saves module "
                + "\"model.norm\" whole (modules_to_save), which combines only against the base model, and it names "
                + "no base model on this machine (base_model_name_or_path \"base\"); give the base with --base MODEL, "
                + "leave the modules out with --drop-modules-to-save, or merge the adapters into the base with "
                + "'graft lora apply'");
        LoraComposition.of(CombinationMethod.CAT).adapter(px, 1).dropModulesToSave(true).write(dir.resolve("o"));
        try (PeftAdapter a = PeftAdapter.open(dir.resolve("o"))) {
            assertThat(a.otherTensors()).isEmpty();
            assertThat(a.config().modulesToSave()).isEmpty();
        }
    }

    @Test
    void loraBiasesCombineLikeTheDeltas() {
        TestAdapter x = first().other("base_model.model." + Q + ".lora_B.bias", Matrices.gaussian(24, 1, 9));
        Path px = x.write(dir.resolve("x"));
        LoraComposition.of(CombinationMethod.CAT).adapter(px, 3).write(dir.resolve("o"));
        try (PeftAdapter a = PeftAdapter.open(dir.resolve("o"))) {
            assertThat(a.config().loraBias()).isTrue();
            float[] bias = a.weights().tensor("base_model.model." + Q + ".lora_B.bias").toFloatArray();
            float[] src = Matrices.gaussian(24, 1, 9);
            for (int i = 0; i < bias.length; i++) {
                assertThat(bias[i]).isEqualTo((float) (3 * x.scaling()) * src[i]);
            }
        }
    }
}
