package org.duplex.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the report's PNG charts with XChart, one per measured section that has something to plot. Charts
 * are drawn off-screen ({@code java.awt.headless}); nothing here needs a display.
 */
final class ResultsCharts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    private static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final BasicStroke EVENT_STROKE =
            new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

    private ResultsCharts() {
    }

    /** Writes every chart the results allow into {@code outputDir}, in the order the report lists them. */
    static List<ChartFile> draw(BenchResults results, Path outputDir) throws IOException {
        List<ChartFile> written = new ArrayList<>();
        List<BenchResults.ThroughputCell> throughput = results.throughput() == null ? List.of() : results.throughput();
        if (!throughput.isEmpty()) {
            written.add(save(byThreads(throughput, BenchResults.ThroughputCell::opsPerSec, "Throughput by client threads",
                    "operations per second"), outputDir, "throughput.png",
                    "operations per second by client thread count, XA and single"));
            written.add(save(byThreads(throughput, BenchResults.ThroughputCell::p99Ms, "p99 latency by client threads",
                    "p99 latency (ms)"), outputDir, "latency.png",
                    "p99 latency (ms) by client thread count, XA and single"));
        }
        Map<String, List<BenchResults.FailoverRun>> sides = ResultsMarkdown.sides(results.failover());
        if (!sides.isEmpty()) {
            written.add(save(failover(sides), outputDir, "failover.png",
                    "client outage (ms) of each failover run, duplex and stock"));
        }
        BenchResults.Timeline timeline = results.timeline();
        if (timeline != null && !timeline.buckets().isEmpty()) {
            written.add(save(timeline(timeline), outputDir, "timeline.png", timelineCaption(timeline)));
        }
        return written;
    }

    private static ChartFile save(IChart chart, Path outputDir, String name, String caption) throws IOException {
        BitmapEncoder.saveBitmap(chart, outputDir.resolve(name).toString(), BitmapFormat.PNG);
        return new ChartFile(name, caption);
    }

    /** A bar per thread count and mode; a mode not run at a thread count gets no bar, not a zero bar. */
    private static CategoryChart byThreads(List<BenchResults.ThroughputCell> rows,
                                           Function<BenchResults.ThroughputCell, Double> figure, String title, String yTitle) {
        Map<Integer, Map<String, BenchResults.ThroughputCell>> cells = ResultsMarkdown.byThreads(rows);
        CategoryChart chart = categoryChart(title, "client threads", yTitle);
        List<String> categories = cells.keySet().stream().map(t -> Integer.toString(t)).toList();
        Function<String, List<Double>> mode = name -> cells.values().stream()
                .map(m -> m.get(name) == null ? null : figure.apply(m.get(name))).toList();
        addSeries(chart, "XA", categories, mode.apply("xa"));
        addSeries(chart, "single", categories, mode.apply("single"));
        return chart;
    }

    private static CategoryChart failover(Map<String, List<BenchResults.FailoverRun>> sides) {
        int runs = sides.values().stream().mapToInt(List::size).max().orElse(0);
        List<String> categories = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            categories.add(Integer.toString(i));
        }
        CategoryChart chart = categoryChart("Client outage per failover run", "run", "client outage (ms)");
        sides.forEach((side, sideRuns) -> {
            List<Double> padded = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                padded.add(i < sideRuns.size() ? sideRuns.get(i).outageMs() : null);
            }
            addSeries(chart, side, categories, padded);
        });
        return chart;
    }

    /**
     * Successful requests per bucket on the left axis and p50 latency on a second axis at the right, over
     * time in seconds; each event is a dashed vertical line whose legend entry is the event's label.
     */
    private static XYChart timeline(BenchResults.Timeline timeline) {
        double bucketMs = ResultsMarkdown.value(timeline.bucketMs());
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Requests and latency over time").xAxisTitle("time (s)")
                .yAxisTitle(bucketMs > 0 ? "successful requests per " + ReportNumbers.format(bucketMs, 1) + " ms"
                        : "successful requests per bucket")
                .build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(0);

        List<Double> time = new ArrayList<>();
        List<Double> successes = new ArrayList<>();
        List<Double> latencyTime = new ArrayList<>();
        List<Double> latency = new ArrayList<>();
        for (BenchResults.Bucket bucket : timeline.buckets()) {
            if (bucket.tMs() == null) {
                continue;
            }
            double ok = ResultsMarkdown.value(bucket.successes());
            time.add(bucket.tMs() / 1000);
            successes.add(ok);
            // an empty bucket has no latency: a null leaves a gap in the line, where 0 ms would claim the
            // fastest answers at the worst moment
            latencyTime.add(bucket.tMs() / 1000);
            latency.add(ok > 0 ? bucket.p50Ms() : null);
        }
        double top = Math.max(1, successes.stream().mapToDouble(Double::doubleValue).max().orElse(1)) * 1.1;
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisMax(0, top);

        XYSeries requests = chart.addSeries("successful requests", time, successes);
        requests.setMarker(SeriesMarkers.NONE);
        requests.setLineWidth(1.5f);
        if (latency.stream().anyMatch(v -> v != null)) {
            XYSeries p50 = chart.addSeries("p50 latency (ms, right axis)", latencyTime, latency);
            p50.setMarker(SeriesMarkers.NONE);
            p50.setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, "p50 latency (ms)");
            chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            chart.getStyler().setYAxisMin(1, 0.0);
        }
        for (BenchResults.Event event : timeline.events()) {
            if (event.tMs() == null) {
                continue;
            }
            double seconds = event.tMs() / 1000;
            String name = uniqueName(chart, ReportNumbers.format(seconds, 2) + " s: " + label(event));
            XYSeries marker = chart.addSeries(name, new double[] {seconds, seconds}, new double[] {0, top});
            marker.setMarker(SeriesMarkers.NONE);
            marker.setLineStyle(EVENT_STROKE);
        }
        return chart;
    }

    private static String timelineCaption(BenchResults.Timeline timeline) {
        StringBuilder caption = new StringBuilder("successful requests per bucket and p50 latency over time");
        List<String> events = new ArrayList<>();
        for (BenchResults.Event event : timeline.events()) {
            if (event.tMs() != null) {
                events.add(label(event) + " at " + ReportNumbers.format(event.tMs() / 1000, 2) + " s");
            }
        }
        if (!events.isEmpty()) {
            caption.append("; events: ").append(String.join(", ", events));
        }
        return caption.toString();
    }

    private static String label(BenchResults.Event event) {
        return event.label() != null ? event.label() : "event";
    }

    /** XChart refuses two series of one name; two events with the same label and time still both show. */
    private static String uniqueName(XYChart chart, String name) {
        String candidate = name;
        for (int n = 2; chart.getSeries(candidate) != null; n++) {
            candidate = name + " (" + n + ")";
        }
        return candidate;
    }

    private static CategoryChart categoryChart(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setAvailableSpaceFill(0.8);
        return chart;
    }

    /** A series with no value at all (a mode that was not run) is left out rather than shown as an empty legend entry. */
    private static void addSeries(CategoryChart chart, String name, List<String> categories, List<Double> values) {
        if (values.stream().anyMatch(v -> v != null)) {
            chart.addSeries(name, categories, values);
        }
    }

    private static void style(AxesChartStyler styler) {
        styler.setAxisTitleFont(AXIS_TITLE_FONT);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
    }
}
