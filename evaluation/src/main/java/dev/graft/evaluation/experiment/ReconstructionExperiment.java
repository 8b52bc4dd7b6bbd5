package dev.graft.evaluation.experiment;

import dev.graft.evaluation.experiment.FineTunedTasks.Split;
import dev.graft.evaluation.merge.TrunkCheckpoint;
import dev.graft.evaluation.reconstruct.DeltaReconstruction;
import dev.graft.evaluation.reconstruct.DeltaReconstruction.Reconstruction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Each reconstruction applied to each fine-tune, scored on that fine-tune's own task. */
public final class ReconstructionExperiment {
    private ReconstructionExperiment() {
    }

    public static List<ReconstructionOutcome> run(FineTunedTasks suite, List<DeltaReconstruction> methods,
                                                  Path workDir, long seed) {
        List<ReconstructionOutcome> out = new ArrayList<>();
        if (methods.isEmpty()) {
            return out;
        }
        Path base = TrunkCheckpoint.write(suite.base(), workDir.resolve("recon-base.safetensors"));
        for (int k = 0; k < suite.size(); k++) {
            Path tuned = TrunkCheckpoint.write(suite.fineTunes().get(k), workDir.resolve("recon-ft.safetensors"));
            for (DeltaReconstruction m : methods) {
                Reconstruction r = m.apply(base, tuned, workDir);
                double acc = suite.accuracy(TrunkCheckpoint.read(suite.base().shape(), r.weights()), k, Split.TEST);
                out.add(new ReconstructionOutcome(seed, k, m.name(), m.family(), r.bitsPerParameter(),
                        acc / suite.fineTunedAccuracy(k, Split.TEST)));
            }
        }
        return out;
    }
}
