package dev.graft.cli.bench;

import dev.graft.cli.Cli;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The realistic benchmark family: Llama shapes, bf16, deterministic, and deltas whose magnitudes tie. */
class FamilyBenchCommandTest {
    @TempDir
    Path dir;

    private static final String[] SHAPE = {"--hidden", "128", "--intermediate", "352", "--layers", "2",
            "--vocab", "1000", "--heads", "4", "--kv-heads", "2"};

    private Cli.Result family(Path where, String... more) {
        String[] args = new String[4 + SHAPE.length + more.length];
        args[0] = "bench";
        args[1] = "family";
        args[2] = "--dir";
        args[3] = where.toString();
        System.arraycopy(SHAPE, 0, args, 4, SHAPE.length);
        System.arraycopy(more, 0, args, 4 + SHAPE.length, more.length);
        return Cli.graft(args);
    }

    @Test
    void writesLlamaShapedBf16Folders() {
        Cli.Result r = family(dir, "--fine-tunes", "2");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        // 1000·128 embedding + 2 layers × (2·128² + 2·64·128 + 3·352·128 + 2·128) + 128 final norm; the small
        // preset ties lm_head to the embedding, and the shape options keep that
        assertThat(r.out()).matches("Wrote " + java.util.regex.Pattern.quote(dir.resolve("base").toString())
                + " and 2 fine-tunes \\(497,280 bf16 parameters, 20 tensors each\\) in [0-9.]+ s\n");
        try (ModelSource base = ModelSource.open(dir.resolve("base"))) {
            List<TensorSpec> t = base.tensors();
            assertThat(t).allMatch(s -> s.dtype() == DType.BF16);
            assertThat(spec(t, "model.embed_tokens.weight").shape()).isEqualTo(Shape.of(1000, 128));
            assertThat(spec(t, "model.layers.1.self_attn.q_proj.weight").shape()).isEqualTo(Shape.of(128, 128));
            assertThat(spec(t, "model.layers.1.self_attn.k_proj.weight").shape()).isEqualTo(Shape.of(64, 128));
            assertThat(spec(t, "model.layers.0.mlp.down_proj.weight").shape()).isEqualTo(Shape.of(128, 352));
            assertThat(spec(t, "model.layers.0.mlp.gate_proj.weight").shape()).isEqualTo(Shape.of(352, 128));
            assertThat(spec(t, "model.norm.weight").shape()).isEqualTo(Shape.of(128));
            assertThat(t).noneMatch(s -> s.name().equals("lm_head.weight"));
        }
        assertThat(dir.resolve("ft2/config.json")).exists();
    }

    @Test
    void sameOptionsSameBytes() throws Exception {
        family(dir.resolve("a"), "--fine-tunes", "1");
        family(dir.resolve("b"), "--fine-tunes", "1");
        family(dir.resolve("c"), "--fine-tunes", "1", "--seed", "5");
        for (String m : List.of("base", "ft1")) {
            assertThat(Files.mismatch(dir.resolve("a/" + m + "/model.safetensors"),
                    dir.resolve("b/" + m + "/model.safetensors"))).isEqualTo(-1);
            assertThat(Files.mismatch(dir.resolve("a/" + m + "/model.safetensors"),
                    dir.resolve("c/" + m + "/model.safetensors"))).isNotEqualTo(-1);
        }
    }

    @Test
    void deltaMagnitudesTieAsInRealBf16FineTunes() {
        family(dir, "--fine-tunes", "1");
        try (ModelSource base = ModelSource.open(dir.resolve("base"));
             ModelSource ft = ModelSource.open(dir.resolve("ft1"))) {
            float[] b = base.tensor("model.layers.0.mlp.up_proj.weight").toFloatArray();
            float[] f = ft.tensor("model.layers.0.mlp.up_proj.weight").toFloatArray();
            Set<Float> magnitudes = new HashSet<>();
            int zero = 0;
            for (int i = 0; i < b.length; i++) {
                float d = Math.abs(f[i] - b[i]);
                magnitudes.add(d);
                zero += d == 0 ? 1 : 0;
            }
            // 45,056 elements; the bf16 rounding of base + a 5 % delta leaves a few hundred distinct magnitudes
            assertThat(b.length).isEqualTo(45_056);
            assertThat(magnitudes.size()).isBetween(50, 2_000);
            // and rounds some deltas away entirely, but changes most elements
            assertThat(zero).isBetween(1, b.length / 2);
        }
    }

    @Test
    void sparseChangesLeaveMostElementsAtTheBase() {
        family(dir, "--fine-tunes", "1", "--changed", "0.05");
        try (ModelSource base = ModelSource.open(dir.resolve("base"));
             ModelSource ft = ModelSource.open(dir.resolve("ft1"))) {
            float[] b = base.tensor("model.layers.1.self_attn.o_proj.weight").toFloatArray();
            float[] f = ft.tensor("model.layers.1.self_attn.o_proj.weight").toFloatArray();
            int changed = 0;
            for (int i = 0; i < b.length; i++) {
                changed += f[i] != b[i] ? 1 : 0;
            }
            // at most 5 % of 16,384 (about 819, sd 28) plus 4 outliers, less the deltas bf16 rounds away
            assertThat(changed).isBetween(300, 910);
        }
    }

    @Test
    void rejectsBadOptions() {
        Cli.Result r = Cli.graft("bench", "family", "--dir", dir.toString(), "--preset", "huge");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("graft: --preset must be small or large, not 'huge'\n");
        Cli.Result c = Cli.graft("bench", "family", "--dir", dir.toString(), "--changed", "0");
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).startsWith("graft: --changed must lie in (0, 1], not 0.0\n");
        Cli.Result h = Cli.graft("bench", "family", "--dir", dir.toString(), "--hidden", "100", "--heads", "3");
        assertThat(h.code()).isEqualTo(2);
        assertThat(h.err()).startsWith("graft: hidden (100) must be a multiple of heads (3)\n");
    }

    private static TensorSpec spec(List<TensorSpec> specs, String name) {
        return specs.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
