package dev.graft.evaluation.report;

import dev.graft.evaluation.experiment.EvaluationResults;
import dev.graft.evaluation.experiment.MergeOutcome;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where one method's spread over seeds at one task count comes from, computed from its rows alone.
 *
 * <p>With y_s the method's normalized test accuracy on seed s and r_s the reference method's (task arithmetic, whose
 * chosen λ the report checks is the same every seed, so that r moves only with the seed's fine-tunes):
 * <ul>
 *   <li>{@code sd} = the sample standard deviation of y, and {@code half} = t(0.975, n − 1)·sd/√n the interval's
 *       half-width;</li>
 *   <li>{@code sampling} = √(ȳ(1 − ȳ)/(k·T)), the standard deviation that drawing k·T test prompts (k tasks of T)
 *       would add if every seed's model erred on prompts independently of the others' (an upper bound: the test
 *       prompts are the same for every seed, so models that share a base share their hard prompts);</li>
 *   <li>{@code shared} = R² of the least-squares fit y_s ≈ a + b·r_s: the share of the variance that moves with the
 *       seed's fine-tunes as task arithmetic sees them, {@code slope} = b how much the method amplifies it;</li>
 *   <li>{@code choices} = how many different hyper-parameter settings the seeds chose on validation, and
 *       {@code modalSd} = the standard deviation over the seeds that chose the most frequent one (on a tie, the one the
 *       earliest seed chose; NaN below two seeds),
 *       what is left when the choice does not jump;</li>
 *   <li>{@code seedsFor} = the fewest seeds n with t(0.975, n − 1)·sd/√n ≤ the target half-width, sd taken as
 *       measured.</li>
 * </ul>
 *
 * @param method   the report row
 * @param tasks    the task count
 * @param sd       standard deviation over seeds (fraction)
 * @param half     95 % half-width over seeds (fraction)
 * @param sampling binomial standard deviation of the test mean under independent errors (fraction)
 * @param shared   R² against the reference method
 * @param slope    slope against the reference method
 * @param choices  distinct hyper-parameter settings chosen over seeds
 * @param modalSd  standard deviation over the seeds on the most frequent setting (fraction)
 */
public record SeedSpread(String method, int tasks, double sd, double half, double sampling, double shared,
                         double slope, int choices, double modalSd) {
    /** The method every other is fitted against. */
    public static final String REFERENCE = "task_arithmetic";

    /** Every method of {@code r} with a spread at {@code tasks} tasks, in report order. */
    public static List<SeedSpread> of(EvaluationResults r, int tasks) {
        double[] ref = r.testScores(REFERENCE, tasks);
        return r.methods().stream()
                .map(m -> of(m, tasks, rows(r, m, tasks), ref, r.config().testExamples()))
                .filter(s -> s.sd > 0)
                .toList();
    }

    /** The spread of one method from its rows (seed order) and the reference's scores in the same seed order. */
    static SeedSpread of(String method, int tasks, List<MergeOutcome> rows, double[] ref, int testExamples) {
        double[] y = rows.stream().mapToDouble(MergeOutcome::test).toArray();
        if (y.length != ref.length || y.length < 2) {
            throw new IllegalArgumentException(method + " at " + tasks + " tasks has " + y.length + " seeds, "
                    + REFERENCE + " " + ref.length + "; the spread needs the same two or more");
        }
        double my = Interval.mean(y);
        double mr = Interval.mean(ref);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < y.length; i++) {
            sxy += (ref[i] - mr) * (y[i] - my);
            sxx += (ref[i] - mr) * (ref[i] - mr);
            syy += (y[i] - my) * (y[i] - my);
        }
        double slope = sxx == 0 ? 0 : sxy / sxx;
        double shared = sxx == 0 || syy == 0 ? 0 : sxy * sxy / (sxx * syy);
        Map<String, List<MergeOutcome>> byChoice = rows.stream()
                .collect(Collectors.groupingBy(MergeOutcome::chosen, LinkedHashMap::new, Collectors.toList()));
        List<MergeOutcome> modal = byChoice.values().stream().max(Comparator.comparingInt(List::size)).orElseThrow();
        double modalSd = modal.size() < 2 ? Double.NaN
                : Interval.sd(modal.stream().mapToDouble(MergeOutcome::test).toArray());
        double sd = Interval.sd(y);
        return new SeedSpread(method, tasks, sd, Interval.of(y).half(),
                Math.sqrt(my * (1 - my) / ((double) tasks * testExamples)), shared, slope, byChoice.size(), modalSd);
    }

    /** The fewest seeds whose 95 % half-width t(0.975, n − 1)·sd/√n is at most {@code target}, at this sd. */
    public int seedsFor(double target) {
        for (int n = 2; n < 10_000; n++) {
            if (Interval.t975(n) * sd / Math.sqrt(n) <= target) {
                return n;
            }
        }
        throw new IllegalStateException(method + ": no seed count up to 10,000 gives ±" + target);
    }

    private static List<MergeOutcome> rows(EvaluationResults r, String method, int tasks) {
        return r.merges().stream().filter(m -> m.method().equals(method) && m.tasks() == tasks).toList();
    }

    /** Whether the reference chose the same hyper-parameters on every seed at {@code tasks} tasks. */
    public static boolean referenceFixed(EvaluationResults r, int tasks) {
        return rows(r, REFERENCE, tasks).stream().map(MergeOutcome::chosen).distinct().count() == 1;
    }

    /** The seeds' chosen settings of {@code method} at {@code tasks}, e.g. {@code "a ×3, b ×2"}. */
    public static String choicesOf(EvaluationResults r, String method, int tasks) {
        return rows(r, method, tasks).stream()
                .collect(Collectors.groupingBy(MergeOutcome::chosen, LinkedHashMap::new, Collectors.counting()))
                .entrySet().stream().map(e -> "`" + e.getKey() + "` ×" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
