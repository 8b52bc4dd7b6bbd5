package dev.graft.evaluation.net;

import dev.graft.evaluation.data.Seeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TrunkPassTest {
    private static final TrunkShape SHAPE = new TrunkShape(5, 6, 7, 3);

    /** loss = Σ cᵢ·featureᵢ, so ∂loss/∂features = c. */
    private static double loss(Trunk t, float[] x, float[] c) {
        TrunkPass pass = new TrunkPass(SHAPE);
        pass.load(t);
        float[] f = pass.forward(x, 0);
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            s += c[i] * f[i];
        }
        return s;
    }

    @Test
    void backwardMatchesFiniteDifferencesOnEveryTensor() {
        SplittableRandom rng = Seeds.stream(3, "test", 0);
        Trunk t = Trunk.initial(SHAPE, rng);
        // non-zero biases so that every ReLU branch and bias gradient is exercised
        for (int i = 0; i < t.params().count(); i++) {
            float[] p = t.params().tensor(i);
            for (int j = 0; j < p.length; j++) {
                p[j] += (float) (0.1 * rng.nextGaussian());
            }
        }
        float[] x = {0.3f, -1.2f, 0.8f, 0.05f, -0.4f};
        float[] c = {1f, -0.5f, 0.25f, 2f, -1f, 0.7f};
        TrunkPass pass = new TrunkPass(SHAPE);
        Trunk grad = new Trunk(SHAPE, t.params().zerosLike());
        pass.load(t);
        pass.forward(x, 0);
        pass.backward(x, 0, c, grad);

        double h = 1e-2;
        for (int i = 0; i < t.params().count(); i++) {
            float[] p = t.params().tensor(i);
            for (int j = 0; j < p.length; j += 3) {
                float keep = p[j];
                p[j] = (float) (keep + h);
                double up = loss(t, x, c);
                p[j] = (float) (keep - h);
                double down = loss(t, x, c);
                p[j] = keep;
                assertThat(grad.params().tensor(i)[j]).as("tensor %s element %d", SHAPE.names().get(i), j)
                        .isCloseTo((float) ((up - down) / (2 * h)), within(2e-3f));
            }
        }
    }

    @Test
    void namesFollowTransformerBlocks() {
        assertThat(SHAPE.names()).startsWith("model.embed_in.weight", "model.embed_in.bias",
                "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.up_proj.bias",
                "model.layers.0.mlp.down_proj.weight", "model.layers.0.mlp.down_proj.bias");
        assertThat(SHAPE.names()).hasSize(14).endsWith("model.layers.2.mlp.down_proj.bias");
        assertThat(SHAPE.parameterCount()).isEqualTo(6 * 5 + 6 + 3 * (2 * 7 * 6 + 7 + 6));
        assertThat(Trunk.initial(SHAPE, new SplittableRandom(1)).params().size()).isEqualTo(SHAPE.parameterCount());
    }
}
