package dev.graft.cli.compress;

import dev.graft.algorithms.compress.TensorProgress;
import dev.graft.cli.ProgressMeter;
import dev.graft.formats.tensor.TensorSpec;

/** A compression's or decompression's progress, drawn by a {@link ProgressMeter} like a merge's. */
final class MeterProgress implements TensorProgress {
    private final ProgressMeter meter;

    MeterProgress(ProgressMeter meter) {
        this.meter = meter;
    }

    @Override
    public void started(int tensors, long bytes) {
        meter.start(tensors, bytes);
    }

    @Override
    public void tensorDone(TensorSpec spec) {
        meter.step(spec.name(), spec.shape().toString(), spec.byteSize());
    }

    @Override
    public void finished() {
        meter.finish();
    }
}
