package dev.graft.cli.lora;

import dev.graft.algorithms.lora.LoraProgress;
import dev.graft.cli.ProgressMeter;

/** Extraction, application and composition progress on a {@link ProgressMeter}. */
final class MeterProgress implements LoraProgress {
    private final ProgressMeter meter;

    MeterProgress(ProgressMeter meter) {
        this.meter = meter;
    }

    @Override
    public void started(int items, long bytes) {
        meter.start(items, bytes);
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
