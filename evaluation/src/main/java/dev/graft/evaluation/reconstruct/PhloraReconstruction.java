package dev.graft.evaluation.reconstruct;

import dev.graft.algorithms.lora.Extraction;
import dev.graft.algorithms.lora.LoraApplication;
import dev.graft.evaluation.llama.LlamaFolder;
import dev.graft.formats.dtype.DType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A PHLoRA adapter (Graft's {@link Extraction}) at a fixed rank or energy, applied back to the base with
 * {@link LoraApplication}: what a user who ships the adapter instead of the fine-tune gets. Factors are stored in
 * bf16, as adapters are shipped; the storage cost counts every tensor of {@code adapter_model.safetensors}
 * (factors, {@code lora_B} biases and tensors saved whole).
 */
public final class PhloraReconstruction implements DeltaReconstruction {
    /** The largest rank an energy rule may pick: every matrix of the evaluation's decoder has full rank at most this. */
    private static final int MAX_RANK = 256;

    private final int rank;
    private final double energy;

    private PhloraReconstruction(int rank, double energy) {
        this.rank = rank;
        this.energy = energy;
    }

    /** Rank {@code r} in every module. */
    public static PhloraReconstruction rank(int r) {
        return new PhloraReconstruction(r, Double.NaN);
    }

    /** Per module, the smallest rank keeping {@code fraction} of the delta's energy. */
    public static PhloraReconstruction energy(double fraction) {
        return new PhloraReconstruction(0, fraction);
    }

    /** The published sweep: ranks 1 to 64 (full rank of the decoder's 64-wide matrices) and energies 0.5 to 0.99. */
    public static List<DeltaReconstruction> standard() {
        return sweep(List.of(1, 2, 4, 8, 16, 32, 64), List.of(0.5, 0.75, 0.9, 0.95, 0.99));
    }

    /** The reduced sweep of the CI run. */
    public static List<DeltaReconstruction> quick() {
        return sweep(List.of(1, 64), List.of(0.9));
    }

    /** Ranks and energies spread from a sliver of the delta to nearly all of it. */
    public static List<DeltaReconstruction> sweep(List<Integer> ranks, List<Double> energies) {
        List<DeltaReconstruction> all = new ArrayList<>();
        ranks.forEach(r -> all.add(rank(r)));
        energies.forEach(e -> all.add(energy(e)));
        return all;
    }

    @Override
    public String name() {
        return Double.isNaN(energy) ? "phlora rank " + rank : "phlora energy " + energy;
    }

    @Override
    public String family() {
        return Double.isNaN(energy) ? "PHLoRA (fixed rank)" : "PHLoRA (energy)";
    }

    @Override
    public Reconstruction apply(Path base, Path tuned, Path workDir) {
        Path adapter = workDir.resolve("adapter");
        Extraction x = Extraction.of(base, tuned).dtype(DType.BF16).threads(1).overwrite(true);
        (Double.isNaN(energy) ? x.rank(rank) : x.energy(energy, MAX_RANK)).write(adapter);
        Path out = workDir.resolve("adapted");
        LoraApplication.to(base).adapter(adapter, 1.0).threads(1).overwrite(true).write(out);
        return new Reconstruction(out, 8.0 * StoredBits.tensorBytes(adapter.resolve("adapter_model.safetensors"))
                / StoredBits.parameters(tuned.resolve(LlamaFolder.WEIGHTS)));
    }
}
