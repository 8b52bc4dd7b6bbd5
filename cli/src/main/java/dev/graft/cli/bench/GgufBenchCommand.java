package dev.graft.cli.bench;

import dev.graft.cli.SizeOption;
import dev.graft.formats.gguf.GgufTensorType;
import dev.graft.formats.gguf.export.GgufExport;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.shard.ByteSize;
import dev.graft.formats.tensor.TensorSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code graft bench gguf}: exporting a bf16 checkpoint to GGUF, throughput of input and peak heap. */
@Command(name = "gguf",
        optionListHeading = "%nOptions:%n",
        description = {
                // The first line alone is what 'graft bench --help' lists.
                "Time graft export gguf on a generated bf16 checkpoint.",
                "",
                "Generates a Llama-shaped bf16 checkpoint of 4096x4096 tensors (33.6 MB each) with its "
                        + "config.json, exports it to GGUF as --type (default q8_0) the way 'graft export gguf' does, "
                        + "and reports the input bytes per second of each pass and the peak Java heap, which must not "
                        + "grow with --size. Needs about twice --size free in --dir; the files are deleted afterwards."},
        footer = {"", "Examples:", "  graft bench gguf", "  GRAFT_JAVA_OPTS=-Xmx256m graft bench gguf --size 4GB --passes 1"})
final class GgufBenchCommand implements Callable<Integer> {
    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "2GB",
            description = "Checkpoint size, decimal units (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "q8_0",
            description = "GGUF type of the tensors: f16, bf16, q8_0, q4_0, q4_k or q6_k (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the files (default: the system temp folder).")
    Path dir;

    @Option(names = "--threads", paramLabel = "N", description = "Threads converting tensors (default: all cores).")
    Integer threads;

    @Option(names = "--passes", paramLabel = "N", defaultValue = "3",
            description = "Export passes (default: ${DEFAULT-VALUE}).")
    int passes;

    @Spec
    CommandSpec spec;

    /** CPU time of the whole process: on a shared machine, wall time alone says more about the neighbours. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @Override
    public Integer call() throws IOException {
        long bytes = SizeOption.parse(spec.commandLine(), "--size", size);
        GgufTensorType t = GgufTensorType.parse(type).filter(GgufTensorType::isConvertible).orElseThrow(() ->
                new ParameterException(spec.commandLine(), "--type must be f32, f16, bf16, q8_0, q4_0, q4_k or q6_k, not "
                        + type));
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1 || passes < 1) {
            throw new ParameterException(spec.commandLine(), "--threads and --passes must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory(ScratchFolder.of(dir), "graft-bench-gguf");
        try {
            Path model = Files.createDirectories(work.resolve("model"));
            List<TensorSpec> specs = SyntheticCheckpoint.squareLayers(bytes);
            Files.writeString(model.resolve("config.json"), """
                    {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": %d,
                     "intermediate_size": %d, "num_hidden_layers": %d, "num_attention_heads": 32,
                     "num_key_value_heads": 8, "max_position_embeddings": 8192, "rms_norm_eps": 1e-05,
                     "rope_theta": 500000.0, "torch_dtype": "bfloat16"}
                    """.formatted(SyntheticCheckpoint.SIDE, SyntheticCheckpoint.SIDE, specs.size()));
            SyntheticCheckpoint.write(model.resolve("model.safetensors"), specs, 0);
            out.printf("generated %s: %d bf16 tensors of %dx%d%n", ByteSize.format(2L * specs.size()
                    * SyntheticCheckpoint.SIDE * SyntheticCheckpoint.SIDE), specs.size(), SyntheticCheckpoint.SIDE,
                    SyntheticCheckpoint.SIDE);
            double best = 0;
            long peak = 0;
            for (int p = 1; p <= passes; p++) {
                Path gguf = work.resolve("model.gguf");
                Files.deleteIfExists(gguf);
                HeapPeak.reset();
                long cpuBefore = cpuNanos();
                GgufExport.Report r;
                try (ModelSource m = ModelSource.open(model)) {
                    r = GgufExport.of(m).type(t).threads(n).write(gguf);
                }
                double cpu = (cpuNanos() - cpuBefore) / 1e9;
                long heap = HeapPeak.bytes();
                peak = Math.max(peak, heap);
                double mbps = r.inputBytes() / 1e6 / r.seconds();
                best = Math.max(best, mbps);
                out.printf("pass %d: %s in, %s %s out in %.2f s = %.0f MB/s of input (incl. fsync); process cpu "
                                + "%.2f s (%.0f MB/s per cpu-second); peak heap %s%n", p, ByteSize.format(r.inputBytes()),
                        ByteSize.format(r.fileBytes()), t, r.seconds(), mbps, cpu, r.inputBytes() / 1e6 / cpu,
                        ByteSize.format(heap));
                out.flush();
            }
            out.printf("best: %.0f MB/s of bf16 input to %s on %d threads; peak heap %s (max heap %s)%n", best, t, n,
                    ByteSize.format(peak), ByteSize.format(Runtime.getRuntime().maxMemory()));
        } finally {
            for (Path p : List.of(work.resolve("model/config.json"), work.resolve("model/model.safetensors"),
                    work.resolve("model"), work.resolve("model.gguf"), work)) {
                Files.deleteIfExists(p);
            }
        }
        return 0;
    }
}
