package dev.graft.algorithms;

import dev.graft.formats.dtype.Bf16;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared reference family and mergekit's expected outputs, and the 1-ulp comparison the contract states. */
public final class ReferenceVectors {
    private ReferenceVectors() {
    }

    public static Path root() {
        Path p = Path.of(System.getProperty("graft.testdata", "../testdata")).toAbsolutePath().normalize()
                .resolve("vectors/merge");
        assertThat(Files.isDirectory(p)).as("reference vectors at %s", p).isTrue();
        return p;
    }

    public static Path model(String name) {
        return root().resolve("models").resolve(name);
    }

    public static Path expected(String name) {
        return root().resolve("expected").resolve(name + ".safetensors");
    }

    /** What a comparison found. */
    public record Comparison(long elements, long offByOneUlp, long offByMore, String firstBad) {
    }

    /**
     * Compares every tensor of {@code actual} with {@code expected}, both bf16: equal, or 1 bf16 ulp apart, or more.
     */
    public static Comparison compare(Path actual, Path expected) {
        return compare(actual, expected, (name, i) -> false);
    }

    /** Which elements may differ by more than 1 ulp (threshold ties of rank cuts). */
    @FunctionalInterface
    public interface Allowed {
        boolean test(String tensor, int index);
    }

    /**
     * Like {@link #compare(Path, Path)}, counting in {@link Comparison#offByMore()} only elements that
     * {@code allowed} does not excuse.
     */
    public static Comparison compare(Path actual, Path expected, Allowed allowed) {
        long elements = 0;
        long one = 0;
        long more = 0;
        String firstBad = null;
        try (ModelSource a = ModelSource.open(actual); ModelSource e = ModelSource.open(expected)) {
            assertThat(a.tensors()).extracting(TensorSpec::name)
                    .containsExactlyElementsOf(e.tensors().stream().map(TensorSpec::name).toList());
            for (TensorSpec spec : e.tensors()) {
                Tensor x = a.tensor(spec.name());
                Tensor y = e.tensor(spec.name());
                assertThat(x.spec()).as(spec.name()).isEqualTo(y.spec());
                float[] xv = x.toFloatArray();
                float[] yv = y.toFloatArray();
                for (int i = 0; i < xv.length; i++) {
                    elements++;
                    int dx = Math.abs(ulpIndex(xv[i]) - ulpIndex(yv[i]));
                    if (dx == 1) {
                        one++;
                    } else if (dx > 1 && !allowed.test(spec.name(), i)) {
                        more++;
                        if (firstBad == null) {
                            firstBad = spec.name() + "[" + i + "]: " + xv[i] + " vs expected " + yv[i];
                        }
                    }
                }
            }
        }
        return new Comparison(elements, one, more, firstBad);
    }

    /** Position of a bf16 value on the number line, so that adjacent bf16 values differ by 1. */
    static int ulpIndex(float v) {
        int bits = Bf16.fromFloat(v) & 0xFFFF;
        return (bits & 0x8000) != 0 ? -(bits & 0x7FFF) : bits;
    }
}
