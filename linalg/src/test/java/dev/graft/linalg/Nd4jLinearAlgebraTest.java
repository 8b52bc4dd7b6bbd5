package dev.graft.linalg;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared backend contract on the default CPU backend (ND4J with OpenBLAS). */
class Nd4jLinearAlgebraTest extends LinearAlgebraContract {
    @Override
    protected LinearAlgebra backend() {
        return LinearAlgebra.get();
    }

    @Test
    void defaultBackendIsNd4j() {
        assertThat(la.name()).isEqualTo("nd4j");
    }

    @Test
    void svdNamesTheLapackRoutineOnNonFiniteInput() {
        try (Matrix a = la.of(new float[] {1, Float.NaN, 3, 4}, 2, 2)) {
            assertThatThrownBy(() -> la.svd(a).close()).isInstanceOf(LinearAlgebraException.class)
                    .hasMessageContaining("sgesdd");
        }
    }
}
