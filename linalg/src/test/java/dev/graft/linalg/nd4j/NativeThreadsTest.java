package dev.graft.linalg.nd4j;

import dev.graft.linalg.LinearAlgebraException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How many threads the backend lets OpenBLAS use per call. */
class NativeThreadsTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(Nd4jLinearAlgebra.THREADS_PROPERTY);
    }

    @Test
    void withoutThePropertyEachCallGetsOneThread() {
        assertThat(Nd4jLinearAlgebra.nativeThreads()).isEqualTo(1);
        // The backend applied it when it loaded (the test JVM sets no property), whatever OpenBLAS's own default.
        assertThat(Nd4jLinearAlgebra.blasThreads()).isEqualTo(Nd4jLinearAlgebra.DEFAULT_THREADS);
    }

    @Test
    void limitThreadsSetsOpenBlasThreadCount() {
        int before = Nd4jLinearAlgebra.blasThreads();
        try {
            Nd4jLinearAlgebra.limitThreads(2);
            assertThat(Nd4jLinearAlgebra.blasThreads()).isEqualTo(2);
        } finally {
            Nd4jLinearAlgebra.limitThreads(before);
        }
        assertThat(Nd4jLinearAlgebra.blasThreads()).isEqualTo(before);
        assertThatThrownBy(() -> Nd4jLinearAlgebra.limitThreads(0)).isInstanceOf(LinearAlgebraException.class)
                .hasMessage("native threads must be at least 1, got 0");
    }

    @Test
    void propertyChoosesTheThreadCount() {
        System.setProperty(Nd4jLinearAlgebra.THREADS_PROPERTY, " 4 ");
        assertThat(Nd4jLinearAlgebra.nativeThreads()).isEqualTo(4);
    }

    @Test
    void nonPositiveOrNonNumericPropertyIsRejectedByName() {
        System.setProperty(Nd4jLinearAlgebra.THREADS_PROPERTY, "0");
        assertThatThrownBy(Nd4jLinearAlgebra::nativeThreads).isInstanceOf(LinearAlgebraException.class)
                .hasMessage("system property graft.blas.threads must be a positive integer, got '0'");
        System.setProperty(Nd4jLinearAlgebra.THREADS_PROPERTY, "two");
        assertThatThrownBy(Nd4jLinearAlgebra::nativeThreads).isInstanceOf(LinearAlgebraException.class)
                .hasMessage("system property graft.blas.threads must be a positive integer, got 'two'");
    }
}
