package dev.graft.linalg.cuda;

import dev.graft.linalg.LinearAlgebra;
import dev.graft.linalg.LinearAlgebraContract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shared backend contract on the GPU. Without a GPU and the CUDA libraries every test is skipped by an
 * assumption (reported as skipped, with the reason the backend gave); scripts/gpu-check runs it on a GPU machine.
 */
class CudaLinearAlgebraTest extends LinearAlgebraContract {
    @Override
    protected LinearAlgebra backend() {
        CudaLinearAlgebra cuda = new CudaLinearAlgebra();
        String reason = null;
        try {
            cuda.load();
        } catch (CudaUnavailableException e) {
            reason = e.getMessage();
        }
        assumeTrue(reason == null, "no CUDA backend here: " + reason);
        return cuda;
    }
}
