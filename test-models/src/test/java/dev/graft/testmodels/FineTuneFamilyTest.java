package dev.graft.testmodels;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FineTuneFamilyTest {
    @TempDir
    Path dir;

    private static final TinyModel BASE = TinyLlama.builder().layers(2).hidden(64).intermediate(96).vocab(80)
            .dtype(DType.F32).seed(11).build();

    @Test
    void writesBaseAndFineTunesBesideEachOther() throws Exception {
        FineTuneFamily.Folders f = FineTuneFamily.of(BASE).fineTunes(3).seed(7).writeTo(dir);
        assertThat(f).isEqualTo(new FineTuneFamily.Folders(dir.resolve("base"),
                List.of(dir.resolve("ft1"), dir.resolve("ft2"), dir.resolve("ft3"))));
        BASE.writeTo(dir.resolve("plain"));
        assertThat(Files.mismatch(dir.resolve("base/model.safetensors"), dir.resolve("plain/model.safetensors")))
                .isEqualTo(-1);
        assertThat(Files.readString(dir.resolve("ft2/config.json"))).isEqualTo(BASE.configJson());
        assertThat(Files.mismatch(dir.resolve("ft1/model.safetensors"), dir.resolve("ft2/model.safetensors")))
                .isNotEqualTo(-1);
    }

    @Test
    void anExistingFamilyIsReportedByItsFirstFolderWhicheverThreadFails() {
        FineTuneFamily.of(BASE).fineTunes(3).writeTo(dir);
        for (int run = 0; run < 20; run++) {
            assertThatThrownBy(() -> FineTuneFamily.of(BASE).fineTunes(3).writeTo(dir))
                    .isInstanceOf(dev.graft.formats.io.OutputExistsException.class)
                    .hasMessageContaining(dir.resolve("base").resolve("model.safetensors").toString());
        }
    }

    @Test
    void sameSeedSameBytes() throws Exception {
        FineTuneFamily.of(BASE).seed(7).writeFineTune(1, dir.resolve("a"));
        FineTuneFamily.of(BASE).seed(7).writeFineTune(1, dir.resolve("b"));
        FineTuneFamily.of(BASE).seed(8).writeFineTune(1, dir.resolve("c"));
        assertThat(Files.mismatch(dir.resolve("a/model.safetensors"), dir.resolve("b/model.safetensors"))).isEqualTo(-1);
        assertThat(Files.mismatch(dir.resolve("a/model.safetensors"), dir.resolve("c/model.safetensors")))
                .isNotEqualTo(-1);
    }

    @Test
    void zeroDeltaReproducesTheBase() throws Exception {
        FineTuneFamily.of(BASE).rank(0).noise(0).outliers(0).fineTunes(1).writeTo(dir);
        assertThat(Files.mismatch(dir.resolve("base/model.safetensors"), dir.resolve("ft1/model.safetensors")))
                .isEqualTo(-1);
    }

    @Test
    void changedFractionLeavesTheOtherElementsExactlyAtTheBase() {
        FineTuneFamily.of(BASE).outliers(0).changed(0.1).fineTunes(1).seed(7).writeTo(dir);
        try (ModelSource base = ModelSource.open(dir.resolve("base"));
             ModelSource ft = ModelSource.open(dir.resolve("ft1"))) {
            float[] d = delta(base, ft, "model.layers.0.mlp.up_proj.weight"); // [96, 64]: 6144 elements
            int changed = 0;
            for (float x : d) {
                changed += x != 0 ? 1 : 0;
            }
            // Bernoulli(0.1) over 6144 elements: 614 expected, sd 23.5; f32 keeps every nonzero delta
            assertThat(changed).isBetween(520, 710);
        }
    }

    @Test
    void changedOneIsTheDenseFamily() throws Exception {
        FineTuneFamily.of(BASE).seed(7).writeFineTune(1, dir.resolve("a"));
        FineTuneFamily.of(BASE).seed(7).changed(1).writeFineTune(1, dir.resolve("b"));
        assertThat(Files.mismatch(dir.resolve("a/model.safetensors"), dir.resolve("b/model.safetensors"))).isEqualTo(-1);
        assertThatThrownBy(() -> FineTuneFamily.of(BASE).changed(0).profile())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("changed must lie in (0, 1], not 0.0");
    }

    @Test
    void outliersAreExactlyTheRequestedCountPerMatrix() {
        FineTuneFamily.of(BASE).rank(0).noise(0).outliers(3).outlierScale(2).fineTunes(1).writeTo(dir);
        try (ModelSource base = ModelSource.open(dir.resolve("base"));
             ModelSource ft = ModelSource.open(dir.resolve("ft1"))) {
            for (TensorSpec s : base.tensors()) {
                float[] d = delta(base, ft, s.name());
                int changed = 0;
                for (float x : d) {
                    if (x != 0) {
                        changed++;
                        // 2 × the init spread 1/sqrt(fan_in), up to the float rounding of base + outlier
                        double fanIn = s.name().endsWith("down_proj.weight") ? 96 : 64;
                        assertThat((double) Math.abs(x)).isCloseTo(2 / Math.sqrt(fanIn), within(1e-6));
                    }
                }
                assertThat(changed).as(s.name()).isEqualTo(s.shape().rank() == 2 ? 3 : 0);
            }
        }
    }

    @Test
    void lowRankPartHasTheRequestedRank() {
        FineTuneFamily.of(BASE).rank(2).noise(0).outliers(0).fineTunes(1).writeTo(dir);
        try (ModelSource base = ModelSource.open(dir.resolve("base"));
             ModelSource ft = ModelSource.open(dir.resolve("ft1"))) {
            float[] d = delta(base, ft, "model.layers.1.mlp.up_proj.weight"); // [96, 64]
            assertThat(numericalRank(d, 96, 64)).isEqualTo(2);
            float[] norm = delta(base, ft, "model.norm.weight");
            assertThat(TinyLlamaTest.std(norm)).isCloseTo(0.05 * 0.2, within(0.003));
        }
    }

    @Test
    void defaultDeltasAreAFewPercentOfTheWeights() {
        FineTuneFamily.of(BASE).fineTunes(1).writeTo(dir);
        try (ModelSource base = ModelSource.open(dir.resolve("base"));
             ModelSource ft = ModelSource.open(dir.resolve("ft1"))) {
            String q = "model.layers.0.self_attn.q_proj.weight";
            double rel = norm(delta(base, ft, q)) / norm(base.tensor(q).toFloatArray());
            // sqrt(0.05² + 0.01²) from the dense parts, plus 4 outliers of one init spread among 4096 elements
            assertThat(rel).isCloseTo(Math.sqrt(0.05 * 0.05 + 0.01 * 0.01 + 4 / 4096.0), within(0.01));
        }
    }

    @Test
    void sharedSetsTheSignAgreementBetweenFineTunes() {
        // rank 64 and noise make each element a sum of many products, close enough to Gaussian for the
        // orthant formula 1/2 + asin(ρ)/π (0.5 at ρ = 0, 0.667 at 0.5, 0.795 at 0.8)
        for (double rho : new double[] {0, 0.5, 0.8}) {
            Path d = dir.resolve("rho" + rho);
            FineTuneFamily.of(BASE).rank(64).noise(0.02).outliers(0).shared(rho).fineTunes(2).writeTo(d);
            try (ModelSource base = ModelSource.open(d.resolve("base"));
                 ModelSource a = ModelSource.open(d.resolve("ft1"));
                 ModelSource b = ModelSource.open(d.resolve("ft2"))) {
                String name = "model.layers.0.mlp.up_proj.weight"; // 6144 elements
                float[] x = delta(base, a, name);
                float[] y = delta(base, b, name);
                int agree = 0;
                for (int i = 0; i < x.length; i++) {
                    if ((x[i] > 0) == (y[i] > 0)) {
                        agree++;
                    }
                }
                assertThat((double) agree / x.length).as("rho %s", rho)
                        .isCloseTo(0.5 + Math.asin(rho) / Math.PI, within(0.03));
                // the mix keeps each delta's spread
                assertThat(TinyLlamaTest.std(x) / (1 / Math.sqrt(64)))
                        .isCloseTo(Math.sqrt(0.05 * 0.05 + 0.02 * 0.02), within(0.006));
            }
        }
    }

    @Test
    void independentFineTunesAreUnchangedBySharedZero() throws Exception {
        FineTuneFamily.of(BASE).seed(3).writeFineTune(1, dir.resolve("default"));
        FineTuneFamily.of(BASE).seed(3).shared(0).writeFineTune(1, dir.resolve("zero"));
        assertThat(Files.mismatch(dir.resolve("default/model.safetensors"), dir.resolve("zero/model.safetensors")))
                .isEqualTo(-1);
        assertThatThrownBy(() -> FineTuneFamily.of(BASE).shared(1.5).profile())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("shared must lie in [0, 1], not 1.5");
    }

    private static float[] delta(ModelSource a, ModelSource b, String name) {
        float[] x = a.tensor(name).toFloatArray();
        float[] y = b.tensor(name).toFloatArray();
        for (int i = 0; i < x.length; i++) {
            y[i] -= x[i];
        }
        return y;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    /**
     * Rank by Gaussian elimination with complete pivoting: subtract the rank-1 cross through the largest entry
     * until every entry is below 1e-3 of the largest original one (float rounding of base + delta stays far below).
     */
    private static int numericalRank(float[] m, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                a[i][j] = m[i * cols + j];
            }
        }
        double first = -1;
        for (int rank = 0; ; rank++) {
            int p = 0;
            int q = 0;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    if (Math.abs(a[i][j]) > Math.abs(a[p][q])) {
                        p = i;
                        q = j;
                    }
                }
            }
            double pivot = a[p][q];
            if (first < 0) {
                first = Math.abs(pivot);
            }
            if (Math.abs(pivot) <= 1e-3 * first) {
                return rank;
            }
            double[] row = a[p].clone();
            for (int i = 0; i < rows; i++) {
                double f = a[i][q] / pivot;
                for (int j = 0; j < cols; j++) {
                    a[i][j] -= f * row[j];
                }
            }
        }
    }
}
