package dev.graft.core.inspect;

import dev.graft.formats.tensor.NaturalOrder;

import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.TensorSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The difference between two checkpoints, tensor by tensor: what {@code graft diff} reports.
 *
 * @param a          A's path as given
 * @param b          B's path as given
 * @param compared   tensors in both with the same shape, the largest relative change first
 * @param onlyInA    tensor names A has and B lacks
 * @param onlyInB    tensor names B has and A lacks
 * @param mismatched tensors in both whose shape or dtype differs
 */
public record ModelDiff(String a, String b, List<TensorDelta> compared, List<String> onlyInA, List<String> onlyInB,
                 List<Mismatch> mismatched) {

    /**
     * A tensor whose shape or dtype differs between the two.
     *
     * @param compared true when only the dtype differs and both are numeric, so it is in {@link #compared()} too
     */
    public record Mismatch(TensorSpec inA, TensorSpec inB, boolean compared) {
    }

    public ModelDiff {
        compared = List.copyOf(compared);
        onlyInA = List.copyOf(onlyInA);
        onlyInB = List.copyOf(onlyInB);
        mismatched = List.copyOf(mismatched);
    }

    /** Compares every tensor of {@code b} against {@code a}. */
    public static ModelDiff of(String pathA, ModelSource a, String pathB, ModelSource b) {
        TensorComparator comparator = new TensorComparator();
        List<TensorDelta> compared = new ArrayList<>();
        List<String> onlyInA = new ArrayList<>();
        List<Mismatch> mismatched = new ArrayList<>();
        for (TensorSpec sa : a.tensors()) {
            Optional<TensorSpec> sb = b.spec(sa.name());
            if (sb.isEmpty()) {
                onlyInA.add(sa.name());
                continue;
            }
            boolean sameShape = sa.shape().equals(sb.get().shape());
            boolean numeric = sa.dtype().hasFloatCodec() && sb.get().dtype().hasFloatCodec();
            boolean comparable = sameShape && (sa.dtype() == sb.get().dtype() || numeric);
            if (!sameShape || sa.dtype() != sb.get().dtype()) {
                mismatched.add(new Mismatch(sa, sb.get(), comparable));
            }
            if (comparable) {
                compared.add(comparator.compare(a.tensor(sa.name()), b.tensor(sa.name())));
            }
        }
        List<String> onlyInB = b.tensors().stream().map(TensorSpec::name).filter(n -> !a.contains(n)).toList();
        compared.sort(Comparator.comparingDouble(TensorDelta::relativeDelta).reversed()
                .thenComparing(TensorDelta::name, NaturalOrder.INSTANCE));
        return new ModelDiff(pathA, pathB, compared, sorted(onlyInA), sorted(onlyInB),
                mismatched.stream().sorted(Comparator.comparing(m -> m.inA().name(), NaturalOrder.INSTANCE)).toList());
    }

    private static List<String> sorted(List<String> names) {
        return names.stream().sorted(NaturalOrder.INSTANCE).toList();
    }

    /** How many compared tensors are unchanged. */
    public long identicalCount() {
        return compared.stream().filter(TensorDelta::identical).count();
    }

    /**
     * ‖B − A‖₂ / ‖A‖₂ over all numeric compared tensors taken as one vector; NaN when none was compared.
     */
    public double relativeDelta() {
        double sumA = 0;
        double sumD = 0;
        int numeric = 0;
        for (TensorDelta t : compared) {
            if (t.numeric()) {
                sumA += t.normA() * t.normA();
                sumD += t.normDelta() * t.normDelta();
                numeric++;
            }
        }
        if (numeric == 0) {
            return Double.NaN;
        }
        if (sumA == 0) {
            return sumD == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.sqrt(sumD) / Math.sqrt(sumA);
    }
}
