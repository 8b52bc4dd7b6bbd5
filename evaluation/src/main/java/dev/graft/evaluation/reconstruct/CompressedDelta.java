package dev.graft.evaluation.reconstruct;

import dev.graft.algorithms.compress.Compression;
import dev.graft.algorithms.compress.Decompression;
import dev.graft.algorithms.compress.LowRank;
import dev.graft.evaluation.llama.LlamaFolder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A fine-tune stored as a compressed delta (Graft's {@link Compression}: BitDelta, Delta-CoMe, ComPEFT, low rank)
 * and restored with {@link Decompression}. The storage cost counts the tensor data of the delta file (codes, scales,
 * positions, singular values and the tensors kept losslessly), as for the adapters, not its JSON header.
 */
public final class CompressedDelta implements DeltaReconstruction {
    private final String name;
    private final String family;
    private final Supplier<Compression> method;

    private CompressedDelta(String name, String family, Supplier<Compression> method) {
        this.name = name;
        this.family = family;
        this.method = method;
    }

    /** BitDelta: one sign bit per parameter and a scale per matrix. */
    public static CompressedDelta bitdelta() {
        return new CompressedDelta("bitdelta", "BitDelta", Compression::bitdelta);
    }

    /** Delta-CoMe at a budget of {@code bits} per parameter of each matrix. */
    public static CompressedDelta deltacome(double bits) {
        return new CompressedDelta("delta-come " + bits + " bits", "Delta-CoMe", () -> Compression.deltacome(bits));
    }

    /** ComPEFT keeping {@code density} of each matrix's entries (sign and one scale), the paper's automatic α. */
    public static CompressedDelta compeft(double density) {
        return new CompressedDelta("compeft density " + density, "ComPEFT",
                () -> Compression.compeft(density, Double.NaN));
    }

    /** A plain truncated SVD of each matrix's delta, bf16 factors, at the rank a budget of {@code bits} allows. */
    public static CompressedDelta lowrank(double bits) {
        return new CompressedDelta("low rank " + bits + " bits", "low rank (SVD)",
                () -> Compression.with(LowRank.ofBudget(bits, 0)));
    }

    /** The published sweep: BitDelta, and 0.5 to 4 bits per parameter for the methods with a budget. */
    public static List<DeltaReconstruction> standard() {
        List<DeltaReconstruction> all = new ArrayList<>();
        all.add(bitdelta());
        for (double b : List.of(0.5, 1.0, 2.0, 4.0)) {
            all.add(deltacome(b));
        }
        for (double d : List.of(0.05, 0.1, 0.2, 0.4)) {
            all.add(compeft(d));
        }
        for (double b : List.of(0.5, 1.0, 2.0, 4.0)) {
            all.add(lowrank(b));
        }
        return all;
    }

    /** The reduced sweep of the CI run. */
    public static List<DeltaReconstruction> quick() {
        return List.of(bitdelta(), deltacome(1.0), compeft(0.1), lowrank(1.0));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String family() {
        return family;
    }

    @Override
    public Reconstruction apply(Path base, Path tuned, Path workDir) {
        Path delta = workDir.resolve("delta.safetensors");
        method.get().base(base).tuned(tuned).threads(1).overwrite(true).write(delta);
        Path out = workDir.resolve("decompressed");
        Decompression.options().threads(1).overwrite(true).run(base, delta, out);
        return new Reconstruction(out, 8.0 * StoredBits.tensorBytes(delta) / StoredBits.parameters(tuned.resolve(LlamaFolder.WEIGHTS)));
    }
}
