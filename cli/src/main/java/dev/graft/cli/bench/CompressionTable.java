package dev.graft.cli.bench;

import dev.graft.algorithms.compress.Compression;
import dev.graft.algorithms.compress.CompressionReport;
import dev.graft.algorithms.compress.Dare;
import dev.graft.algorithms.compress.DeltaCoMe;
import dev.graft.algorithms.compress.DeltaCodec;
import dev.graft.algorithms.compress.BitDelta;
import dev.graft.algorithms.compress.ComPeft;
import dev.graft.algorithms.compress.LowRank;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyLlama;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every compression method at equal budgets (about 1 and 2 bits per parameter) on a generated Llama-shaped
 * fine-tune whose deltas have a decaying spectrum (a low-rank part over a noise floor, plus outliers): bits per
 * parameter, ratio against the bf16 delta and relative reconstruction error, as a Markdown table.
 */
final class CompressionTable {
    private final Path dir;
    private final int rank;
    private final int threads;
    private final PrintWriter log;

    CompressionTable(Path dir, int rank, int threads, PrintWriter log) {
        this.dir = dir;
        this.rank = rank;
        this.threads = threads;
        this.log = log;
    }

    /** The budgets: for each, the methods set to spend about that many bits per parameter. */
    static List<DeltaCodec> codecs() {
        return List.of(
                new BitDelta(),
                DeltaCoMe.ofBudget(1),
                LowRank.ofBudget(1, 0),
                new ComPeft(0.1, Double.NaN),
                new Dare(1 - 1.0 / 16, 0),
                DeltaCoMe.ofBudget(2),
                LowRank.ofBudget(2, 0),
                new ComPeft(0.2, Double.NaN),
                new Dare(1 - 2.0 / 16, 0));
    }

    void run() throws IOException {
        Path root = Files.createTempDirectory(dir, "graft-compress-table");
        try {
            FineTuneFamily family = FineTuneFamily.of(TinyLlama.builder().hidden(512).intermediate(1408).layers(4)
                    .heads(8).vocab(4096).seed(1).build()).fineTunes(1).rank(rank).seed(2);
            FineTuneFamily.Folders f = family.writeTo(root);
            log.printf("generated a Llama-shaped bf16 base and fine-tune (hidden 512, intermediate 1408, 4 layers, "
                    + "vocab 4096); deltas: %s%n%n", family.profile());
            log.println("| method | parameters | bits/param | ratio vs bf16 delta | rel. error ‖Δ−Δ̂‖/‖Δ‖ | seconds |");
            log.println("|---|---|---:|---:|---:|---:|");
            int i = 0;
            for (DeltaCodec c : codecs()) {
                Path out = root.resolve("d" + (i++) + ".safetensors");
                CompressionReport r = Compression.with(c).base(f.base()).tuned(f.fineTunes().getFirst())
                        .threads(threads).write(out);
                log.printf("| %s | %s | %.3f | %.2f | %.4f | %.1f |%n", c.method(),
                        c.parameters().isEmpty() ? "–" : c.parameters().toString().replaceAll("[{}]", ""),
                        r.bitsPerParameter(), r.ratioVsBf16Delta(), r.manifest().overallError(), r.seconds());
                log.flush();
            }
        } finally {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
