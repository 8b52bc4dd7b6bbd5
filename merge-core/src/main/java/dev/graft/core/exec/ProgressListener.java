package dev.graft.core.exec;

import dev.graft.core.plan.Plan;
import dev.graft.core.plan.TensorTask;

/** Hears how a merge progresses; the CLI draws its progress bar from this. Called from worker threads. */
public interface ProgressListener {
    /** Before the first tensor. */
    default void started(Plan plan) {
    }

    /** After a tensor was written. */
    default void tensorDone(TensorTask task) {
    }

    /** After the output was published. */
    default void finished(MergeReport report) {
    }

    /** A listener that ignores everything. */
    ProgressListener NONE = new ProgressListener() {
    };
}
