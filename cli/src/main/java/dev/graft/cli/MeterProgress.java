package dev.graft.cli;

import dev.graft.algorithms.compress.TensorProgress;
import dev.graft.algorithms.lora.LoraProgress;
import dev.graft.formats.tensor.TensorSpec;

/**
 * The algorithms' progress listeners drawn by a {@link ProgressMeter}, as a merge's: compression and
 * decompression ({@link TensorProgress}) and LoRA extraction, application and composition ({@link LoraProgress}).
 */
public final class MeterProgress implements TensorProgress, LoraProgress {
    private final ProgressMeter meter;

    /** Draws on {@code meter}. */
    public MeterProgress(ProgressMeter meter) {
        this.meter = meter;
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
