package dev.graft.algorithms.lora;

import dev.graft.formats.peft.AdapterConfig;
import dev.graft.formats.peft.LoraModule;
import dev.graft.formats.peft.PeftAdapter;
import dev.graft.formats.tensor.Shape;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The correctness figures of extraction: a delta of known rank k plus noise, extracted at rank k, is recovered to
 * the noise level, and the energy and error reported match a float64 SVD (Commons Math) to 1e-4.
 */
class ExtractionAccuracyTest {
    private static final String NAME = "model.layers.0.mlp.up_proj.weight";
    private static final String MODULE = "model.layers.0.mlp.up_proj";

    @TempDir
    Path dir;

    /**
     * @param rows   out
     * @param cols   in
     * @param exact  whether sgesdd factors it (small) or the randomized SVD (above the exact threshold)
     */
    @ParameterizedTest
    @CsvSource({"96, 80, true", "600, 530, false"})
    void aLowRankDeltaPlusNoiseIsRecoveredToTheNoiseLevel(int rows, int cols, boolean exact) {
        int k = 5;
        float[] base = Matrices.gaussian(rows * cols, 0.02, 1);
        float[] left = Matrices.gaussian(rows * k, 0.05, 2);
        float[] right = Matrices.gaussian(k * cols, 0.05, 3);
        float[] noise = Matrices.gaussian(rows * cols, 0.0004, 4);
        double[] lowRank = Matrices.product(left, right, rows, k, cols);
        float[] tuned = new float[rows * cols];
        for (int i = 0; i < tuned.length; i++) {
            tuned[i] = (float) (base[i] + lowRank[i] + noise[i]);
        }
        Path b = new Matrices.Model().put(NAME, Shape.of(rows, cols), base).write(dir.resolve("base.safetensors"));
        Path t = new Matrices.Model().put(NAME, Shape.of(rows, cols), tuned).write(dir.resolve("tuned.safetensors"));

        ExtractionReport report = Extraction.of(b, t).rank(k).write(dir.resolve("adapter"));

        // the delta as stored (float32 differences), and its float64 SVD
        double[] delta = new double[tuned.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = (double) tuned[i] - base[i];
        }
        double[][] rowsOf = new double[rows][];
        for (int i = 0; i < rows; i++) {
            rowsOf[i] = java.util.Arrays.copyOfRange(delta, i * cols, (i + 1) * cols);
        }
        double[] sigma = new SingularValueDecomposition(new Array2DRowRealMatrix(rowsOf, false)).getSingularValues();
        double total = 0;
        double kept = 0;
        for (int i = 0; i < sigma.length; i++) {
            total += sigma[i] * sigma[i];
            if (i < k) {
                kept += sigma[i] * sigma[i];
            }
        }
        ModuleReport m = report.modules().getFirst();
        assertThat(m.module()).isEqualTo(MODULE);
        assertThat(m.rank()).isEqualTo(k);
        assertThat(m.exact()).isEqualTo(exact);
        assertThat(m.energy()).isCloseTo(kept / total, within(1e-4));
        assertThat(m.relativeError()).isCloseTo(Math.sqrt(1 - kept / total), within(1e-4));

        try (PeftAdapter adapter = PeftAdapter.open(dir.resolve("adapter"))) {
            LoraModule lora = adapter.modules().getFirst();
            assertThat(lora.module()).isEqualTo(MODULE);
            assertThat(lora.a().shape()).isEqualTo(Shape.of(k, cols));
            assertThat(lora.b().shape()).isEqualTo(Shape.of(rows, k));
            assertThat(lora.scaling()).isEqualTo(1.0);
            double[] ba = Matrices.delta(lora);
            double error = Matrices.distance(ba, delta) / Matrices.norm(delta);
            // Eckart–Young: the best rank-k approximation is at least as close as the planted low-rank part
            double noiseLevel = Matrices.norm(Matrices.toDouble(noise)) / Matrices.norm(delta);
            assertThat(error).isLessThanOrEqualTo(noiseLevel * 1.0001);
            assertThat(error).isCloseTo(m.relativeError(), within(1e-4));
        }
    }

    @Test
    void byEnergyTheSmallestSufficientRankIsKeptPerModuleAndRecordedInRankPattern() throws Exception {
        int rows = 64;
        int cols = 48;
        float[] base = Matrices.gaussian(rows * cols, 0.02, 1);
        Matrices.Model b = new Matrices.Model();
        Matrices.Model t = new Matrices.Model();
        // module q: rank 2 delta, module v: rank 6 delta, each with a little noise
        for (String[] spec : new String[][] {{"q_proj", "2"}, {"v_proj", "6"}}) {
            int k = Integer.parseInt(spec[1]);
            String name = "model.layers.0.self_attn." + spec[0] + ".weight";
            double[] low = Matrices.product(Matrices.gaussian(rows * k, 0.1, k), Matrices.gaussian(k * cols, 0.1, k + 10),
                    rows, k, cols);
            float[] noise = Matrices.gaussian(rows * cols, 1e-5, k + 20);
            float[] tuned = new float[rows * cols];
            for (int i = 0; i < tuned.length; i++) {
                tuned[i] = (float) (base[i] + low[i] + noise[i]);
            }
            b.put(name, Shape.of(rows, cols), base);
            t.put(name, Shape.of(rows, cols), tuned);
        }
        ExtractionReport report = Extraction.of(b.write(dir.resolve("b.safetensors")), t.write(dir.resolve("t.safetensors")))
                .energy(0.999, 32).write(dir.resolve("adapter"));

        assertThat(report.modules()).extracting(ModuleReport::rank).containsExactly(2, 6);
        assertThat(report.modules()).allSatisfy(m -> assertThat(m.energy()).isGreaterThanOrEqualTo(0.999));
        AdapterConfig config = AdapterConfig.read(dir.resolve("adapter/adapter_config.json"));
        assertThat(config.r()).isEqualTo(6);
        assertThat(config.loraAlpha()).isEqualTo(6.0);
        assertThat(config.rankFor("model.layers.0.self_attn.q_proj")).isEqualTo(2);
        assertThat(config.scalingFor("model.layers.0.self_attn.q_proj")).isEqualTo(1.0);
        assertThat(config.scalingFor("model.layers.0.self_attn.v_proj")).isEqualTo(1.0);
        assertThat(config.targetModules()).containsExactly("q_proj", "v_proj");
        assertThat(config.toJson()).contains("\"rank_pattern\": {\n    \"model.layers.0.self_attn.q_proj\": 2\n  }");
        try (PeftAdapter adapter = PeftAdapter.open(dir.resolve("adapter"))) {
            assertThat(adapter.modules()).extracting(LoraModule::rank).containsExactly(2, 6);
        }
    }
}
