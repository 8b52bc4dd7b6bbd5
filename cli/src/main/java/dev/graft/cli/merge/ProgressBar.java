package dev.graft.cli.merge;

import dev.graft.cli.ProgressMeter;
import dev.graft.core.exec.MergeReport;
import dev.graft.core.exec.ProgressListener;
import dev.graft.core.plan.Plan;
import dev.graft.core.plan.TensorTask;

/** The merge's progress, drawn by a {@link ProgressMeter} (tensors, tensors/s, bytes/s, ETA). */
final class ProgressBar implements ProgressListener {
    private final ProgressMeter meter;

    ProgressBar(ProgressMeter meter) {
        this.meter = meter;
    }

    @Override
    public void started(Plan plan) {
        meter.start(plan.tasks().size(), plan.outputBytes());
    }

    @Override
    public void tensorDone(TensorTask task) {
        meter.step(task.name(), task.output().shape().toString(), task.output().byteSize());
    }

    @Override
    public void finished(MergeReport report) {
        meter.finish();
    }
}
