package dev.graft.formats.testing;

import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.TensorSpec;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Asserts that two models hold the same tensors to the bit, whatever their formats and file layouts. */
public final class SameTensors {
    private SameTensors() {
    }

    /** Same names, dtypes and shapes, and the same bytes in every tensor. */
    public static void assertSame(Path expected, Path actual) {
        try (ModelSource a = ModelSource.open(expected); ModelSource b = ModelSource.open(actual)) {
            assertThat(b.tensors()).isEqualTo(a.tensors());
            for (TensorSpec s : a.tensors()) {
                assertThat(b.tensor(s.name()).data().toArray(ValueLayout.JAVA_BYTE)).as(s.name())
                        .isEqualTo(a.tensor(s.name()).data().toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }
}
