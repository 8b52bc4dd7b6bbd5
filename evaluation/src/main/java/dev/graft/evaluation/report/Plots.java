package dev.graft.evaluation.report;

import dev.graft.evaluation.experiment.EvaluationResults;
import dev.graft.evaluation.experiment.ReconstructionOutcome;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The evaluation's charts as PNG files (XChart). */
public final class Plots {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private Plots() {
    }

    /**
     * Mean normalized test accuracy against the number of tasks merged, one line per method, with or without the
     * LiNeS variants.
     */
    public static void accuracyVsTasks(EvaluationResults r, boolean lines, Path png) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(lines ? "Merges with LiNeS" : "Merges (hyper-parameters chosen on validation)")
                .xAxisTitle("tasks merged").yAxisTitle("normalized accuracy (%)").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        List<Integer> counts = r.config().taskCounts();
        double[] x = counts.stream().mapToDouble(Integer::doubleValue).toArray();
        for (String method : r.methods()) {
            boolean isLines = method.endsWith("+lines");
            boolean reference = method.equals("pretrained") || method.equals("fine-tuned");
            if (!reference && isLines != lines) {
                continue;
            }
            double[] y = counts.stream().mapToDouble(n -> 100 * Interval.of(r.testScores(method, n)).mean())
                    .toArray();
            chart.addSeries(method, x, y);
        }
        save(chart, png);
    }

    /** Normalized accuracy against bits per parameter, one line per reconstruction family. */
    public static void accuracyVsBits(List<ReconstructionOutcome> rows, Path png) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Stand-ins for a fine-tune: accuracy vs storage")
                .xAxisTitle("bits per parameter").yAxisTitle("normalized accuracy (%)").build();
        Map<String, List<ReconstructionOutcome>> byFamily = rows.stream()
                .collect(Collectors.groupingBy(ReconstructionOutcome::family, TreeMap::new, Collectors.toList()));
        byFamily.forEach((family, list) -> {
            // one point per setting: its mean bits and mean accuracy over seeds and tasks, in order of bits
            Map<String, List<ReconstructionOutcome>> bySetting = list.stream()
                    .collect(Collectors.groupingBy(ReconstructionOutcome::name));
            double[][] points = bySetting.values().stream()
                    .map(l -> new double[] {l.stream().mapToDouble(ReconstructionOutcome::bitsPerParameter).average()
                            .orElseThrow(), 100 * l.stream().mapToDouble(ReconstructionOutcome::normalized).average()
                            .orElseThrow()})
                    .sorted(java.util.Comparator.comparingDouble(p -> p[0])).toArray(double[][]::new);
            XYSeries s = chart.addSeries(family, java.util.Arrays.stream(points).mapToDouble(p -> p[0]).toArray(),
                    java.util.Arrays.stream(points).mapToDouble(p -> p[1]).toArray());
            s.setMarker(SeriesMarkers.CIRCLE);
        });
        save(chart, png);
    }

    private static void save(XYChart chart, Path png) {
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + png, e);
        }
    }
}
