package dev.graft.core.exec;

import dev.graft.core.kernel.TensorKernel;
import dev.graft.core.plan.Plan;
import dev.graft.core.plan.TensorTask;
import dev.graft.formats.model.ModelSource;

import java.lang.foreign.Arena;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * LiNeS's multi-task alpha (Wang et al., ICLR 2025): {@code α = (‖Σₜ τₜ‖₁ / ‖τ_merged‖₁) / T} over the whole model,
 * with {@code τₜ} the T task vectors and {@code τ_merged} the method's merged task vector before LiNeS. Measured in a
 * first pass that runs every kernel once with a LiNeS scale of 1, keeping only the two L1 sums.
 */
final class LinesAlpha {
    private LinesAlpha() {
    }

    static double measure(Plan plan, List<ModelSource> sources) {
        TensorKernel kernel = plan.method().kernel();
        DoubleAdder summed = new DoubleAdder();
        DoubleAdder merged = new DoubleAdder();
        plan.tasks().parallelStream().filter(t -> !t.passthrough()).forEach(task -> {
            try (Arena arena = Arena.ofConfined();
                 MappedTensorInputs in = new MappedTensorInputs(task, sources, arena, null)) {
                int base = task.baseInput();
                in.scan((first, len, v, off) -> {
                    double s = 0;
                    for (int e = off; e < off + len; e++) {
                        float sum = 0;
                        for (int i = 0; i < v.length; i++) {
                            if (i != base) {
                                sum += v[i][e] - v[base][e];
                            }
                        }
                        s += Math.abs(sum);
                    }
                    summed.add(s);
                });
                float[] window = new float[in.maxChunk()];
                long[] position = {0};
                kernel.merge(in, task.parameters().withLinesScale(1), (values, from, count) -> {
                    in.readInput(base, position[0], window, 0, count);
                    double s = 0;
                    for (int e = 0; e < count; e++) {
                        s += Math.abs(values[from + e] - window[e]);
                    }
                    merged.add(s);
                    position[0] += count;
                });
            }
        });
        int tasks = plan.models().size() - 1;
        double m = merged.sum();
        return m == 0 ? 1 : summed.sum() / m / tasks;
    }
}
