package dev.graft.evaluation.experiment;

import dev.graft.evaluation.llama.LlamaFolder;
import dev.graft.evaluation.merge.LlamaMerger;
import dev.graft.evaluation.reconstruct.DeltaReconstruction;
import dev.graft.evaluation.reconstruct.DeltaReconstruction.Reconstruction;
import dev.graft.evaluation.text.Split;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Each reconstruction applied to each fine-tune's Hugging Face folder (as the merger wrote it), scored on that
 * fine-tune's own task.
 */
public final class ReconstructionExperiment {
    private ReconstructionExperiment() {
    }

    public static List<ReconstructionOutcome> run(FineTunedTasks suite, LlamaMerger folders,
                                                  List<DeltaReconstruction> methods, Path workDir, long seed) {
        List<ReconstructionOutcome> out = new ArrayList<>();
        for (int k = 0; k < suite.size() && !methods.isEmpty(); k++) {
            for (DeltaReconstruction m : methods) {
                Reconstruction r = m.apply(folders.base(), folders.fineTune(k), workDir);
                double acc = suite.accuracy(LlamaFolder.read(r.weights()), k, Split.TEST);
                out.add(new ReconstructionOutcome(seed, k, m.name(), m.family(), r.bitsPerParameter(),
                        acc / suite.fineTunedAccuracy(k, Split.TEST)));
            }
        }
        return out;
    }
}
