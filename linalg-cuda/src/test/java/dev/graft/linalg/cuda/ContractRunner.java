package dev.graft.linalg.cuda;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs the CUDA backend's contract tests ({@link CudaLinearAlgebraTest}) without Maven, for scripts/gpu-check on a
 * machine with a GPU and no JDK. Prints one line a test and a summary; exits 0 when all passed, 1 when any failed,
 * 3 when they were skipped because the backend does not load here (the reason is printed).
 */
public final class ContractRunner {
    private ContractRunner() {
    }

    /** Runs the tests; no arguments. */
    public static void main(String[] args) {
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        String[] skipReason = {null};
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier test, String reason) {
                if (test.isTest()) {
                    skipped.incrementAndGet();
                }
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (!test.isTest()) {
                    return;
                }
                switch (result.getStatus()) {
                    case SUCCESSFUL -> {
                        passed.incrementAndGet();
                        System.out.println("PASS " + test.getDisplayName());
                    }
                    case ABORTED -> {
                        skipped.incrementAndGet();
                        skipReason[0] = result.getThrowable().map(Throwable::getMessage).orElse("aborted");
                    }
                    case FAILED -> {
                        failed.incrementAndGet();
                        System.out.println("FAIL " + test.getDisplayName() + ": "
                                + result.getThrowable().map(t -> String.valueOf(t.getMessage()).strip()
                                .replace('\n', ' ')).orElse(""));
                    }
                }
            }
        };
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(CudaLinearAlgebraTest.class)).build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, listener);
        if (skipReason[0] != null) {
            System.out.println("SKIPPED " + skipped.get() + " tests: " + skipReason[0]);
        }
        System.out.println("contract on cuda: " + passed.get() + " passed, " + failed.get() + " failed, "
                + skipped.get() + " skipped");
        System.exit(failed.get() > 0 ? 1 : passed.get() == 0 ? 3 : 0);
    }
}
