package dev.graft.cli;

import dev.graft.algorithms.compress.TensorProgress;
import dev.graft.algorithms.lora.LoraProgress;
import dev.graft.core.exec.MergeReport;
import dev.graft.core.exec.ProgressListener;
import dev.graft.core.plan.Plan;
import dev.graft.core.plan.TensorTask;
import dev.graft.formats.tensor.TensorSpec;

/**
 * Every library progress listener drawn by one {@link ProgressMeter}: merges ({@link ProgressListener}),
 * compression and decompression ({@link TensorProgress}), LoRA extraction, application and composition
 * ({@link LoraProgress}).
 */
public final class MeterProgress implements ProgressListener, TensorProgress, LoraProgress {
    private final ProgressMeter meter;

    /** Draws on {@code meter}. */
    public MeterProgress(ProgressMeter meter) {
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

    @Override
    public void started(int items, long bytes) {
        meter.start(items, bytes);
    }

    @Override
    public void tensorDone(TensorSpec spec) {
        meter.step(spec.name(), spec.shape().toString(), spec.byteSize());
    }

    @Override
    public void itemDone(String name, long bytes) {
        meter.step(name, "", bytes);
    }

    @Override
    public void finished() {
        meter.finish();
    }
}
