package dev.graft.core.plan;

import dev.graft.formats.shard.ByteSize;
import dev.graft.formats.tensor.NaturalOrder;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The human-readable form of a plan that {@code --dry-run} prints: what will be merged, with what, into what. */
public final class PlanDescription {
    /** Per-input chunk buffers and kernel scratch, in bytes: 1 Mi float32 each, twice over. */
    private static final long CHUNK_BYTES = 2L * 4 * (1 << 18);
    /** JVM, code and class metadata, measured for the CLI. */
    private static final long BASELINE_BYTES = 96L << 20;

    private PlanDescription() {
    }

    /**
     * Resident memory the merge should need at most: for the {@code threads} largest tasks running at once, the pages
     * of their mapped inputs plus chunk buffers, and the decoded inputs the pass pool keeps for them (up to
     * {@code cacheBytes}), on top of the JVM baseline, plus what the method's kernel holds per tensor
     * ({@link dev.graft.core.method.MergeMethod#workingBytes}: whole matrices for the SVD merges). An input read
     * through an adapter counts twice: its pages, and the adapted copy it is computed into.
     */
    public static long estimatedPeakBytes(Plan plan, int threads, long cacheBytes) {
        List<long[]> perTask = new ArrayList<>();
        for (TensorTask t : plan.tasks()) {
            long inputs = t.inputs().stream().mapToLong(in -> in.spec().byteSize()
                    * (plan.models().get(in.model()).adapter().isPresent() ? 2 : 1)).sum();
            long decoded = t.passthrough() ? 0 : t.readShape().elementCount() * t.inputs().size() * Float.BYTES;
            perTask.add(new long[] {inputs + t.inputs().size() * CHUNK_BYTES + working(plan, t), decoded});
        }
        perTask.sort(Comparator.comparingLong((long[] a) -> a[0] + a[1]).reversed());
        long sum = BASELINE_BYTES;
        long pooled = 0;
        for (int i = 0; i < Math.min(threads, perTask.size()); i++) {
            sum += perTask.get(i)[0];
            pooled += perTask.get(i)[1];
        }
        return sum + Math.min(pooled, cacheBytes);
    }

    /** What the method's kernel holds for one task (0 for a copied tensor). */
    private static long working(Plan plan, TensorTask t) {
        return t.passthrough() ? 0 : plan.method().workingBytes(t.readShape(), t.inputs().size());
    }

    public static void print(Plan plan, int threads, long cacheBytes, PrintWriter out) {
        out.printf("Method      %s (%s)%n", plan.method().name(), plan.method().citation());
        for (int i = 0; i < plan.models().size(); i++) {
            PlannedModel m = plan.models().get(i);
            out.printf("%-11s %s%s%n", i == 0 ? "Models" : "", m.label(),
                    i == plan.baseModel() ? "  (base)" : m.label().equals(m.source()) ? "" : "  " + m.source());
        }
        out.printf("Tensors     %d (%d merged, %d copied)%n", plan.tasks().size(),
                plan.tasks().stream().filter(t -> !t.passthrough()).count(),
                plan.tasks().stream().filter(TensorTask::passthrough).count());
        out.printf("Output      %s of tensor data%n", ByteSize.format(plan.outputBytes()));
        out.printf("Peak memory about %s with %d thread%s%n", ByteSize.format(estimatedPeakBytes(plan, threads, cacheBytes)), threads,
                threads == 1 ? "" : "s");
        long held = plan.tasks().stream().mapToLong(t -> working(plan, t)).max().orElse(0);
        if (held > 0) {
            out.printf("Working set up to %s per tensor (%s holds each 2-D tensor of every model at once, "
                    + "with its factors), included above%n", ByteSize.format(held), plan.method().name());
        }
        for (String w : plan.warnings()) {
            out.println("Warning     " + w);
        }
        plan.vocabulary().ifPresent(v -> {
            // The vocabulary plan: its size, how each model's rows are found, the chat template.
            for (int i = 0; i < v.description().size(); i++) {
                out.printf("%-11s %s%n", i == 0 ? "Tokenizer" : "", v.description().get(i));
            }
        });
        out.println();
        out.println("Plan (tensor, dtype, shape, parameters):");
        List<TensorTask> tasks = new ArrayList<>(plan.tasks());
        tasks.sort(Comparator.comparing(TensorTask::name, NaturalOrder.INSTANCE));
        int nameWidth = tasks.stream().mapToInt(t -> t.name().length()).max().orElse(0);
        int shapeWidth = tasks.stream().mapToInt(t -> (t.output().dtype() + " " + t.output().shape()).length()).max().orElse(0);
        for (TensorTask t : tasks) {
            out.printf("  %-" + nameWidth + "s  %-" + shapeWidth + "s  %s%n", t.name(),
                    t.output().dtype() + " " + t.output().shape(), parameters(plan, t));
        }
        out.flush();
    }

    private static String parameters(Plan plan, TensorTask t) {
        if (t.passthrough()) {
            return "copied from " + plan.models().get(t.inputs().getFirst().model()).label();
        }
        StringBuilder sb = new StringBuilder();
        t.parameters().global().forEach((k, v) -> sb.append(k).append('=').append(format(v)).append(' '));
        for (int i = 0; i < t.inputs().size(); i++) {
            Map<String, Object> m = t.parameters().perModel().get(i);
            if (i == t.baseInput() || m.isEmpty()) {
                continue;
            }
            sb.append(plan.models().get(t.inputs().get(i).model()).label()).append('{');
            m.forEach((k, v) -> sb.append(k).append('=').append(format(v)).append(','));
            sb.setCharAt(sb.length() - 1, '}');
            sb.append(' ');
        }
        if (plan.linesAuto()) {
            sb.append(String.format("lines_scale=auto+%.4g ", t.parameters().linesScale()));
        } else if (t.parameters().linesScale() != 1) {
            sb.append(String.format("lines_scale=%.4g ", t.parameters().linesScale()));
        }
        return sb.toString().strip();
    }

    private static String format(Object v) {
        return v instanceof Double d ? dev.graft.formats.json.PythonJson.floatRepr(d) : String.valueOf(v);
    }
}
