package org.duplex.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
    static List<ChartFile> draw(JsonNode root, Path outputDir) throws IOException {
        List<ChartFile> written = new ArrayList<>();
        List<JsonNode> throughput = root.get("throughput").elements();
        if (!throughput.isEmpty()) {
            written.add(save(byThreads(throughput, "opsPerSec", "Throughput by client threads",
                    "operations per second"), outputDir, "throughput.png",
                    "operations per second by client thread count, XA and single"));
            written.add(save(byThreads(throughput, "p99Ms", "p99 latency by client threads",
                    "p99 latency (ms)"), outputDir, "latency.png",
                    "p99 latency (ms) by client thread count, XA and single"));
        }
        JsonNode failover = root.get("failover");
        if (failover.get("duplex").isPresent() || failover.get("stock").isPresent()) {
            written.add(save(failover(failover), outputDir, "failover.png",
                    "client outage (ms) of each failover run, duplex and stock"));
        }
        JsonNode timeline = root.get("timeline");
        if (!timeline.get("buckets").elements().isEmpty()) {
            written.add(save(timeline(timeline), outputDir, "timeline.png", timelineCaption(timeline)));
        }
        return written;
    }

    private static ChartFile save(IChart chart, Path outputDir, String name, String caption) throws IOException {
        BitmapEncoder.saveBitmap(chart, outputDir.resolve(name).toString(), BitmapFormat.PNG);
        return new ChartFile(name, caption);
    }

    /** A bar per thread count and mode; a mode not run at a thread count gets no bar, not a zero bar. */
    private static CategoryChart byThreads(List<JsonNode> rows, String key, String title, String yTitle) {
        Map<Double, Map<String, Double>> values = new TreeMap<>();
        for (JsonNode row : rows) {
            Optional<Double> threads = row.get("threads").number();
            Optional<Double> value = row.get(key).number();
            if (threads.isPresent() && value.isPresent()) {
                values.computeIfAbsent(threads.get(), t -> new LinkedHashMap<>())
                        .put(row.get("mode").text().orElse("").toLowerCase(Locale.ROOT), value.get());
            }
        }
        CategoryChart chart = categoryChart(title, "client threads", yTitle);
        List<String> categories = values.keySet().stream().map(t -> ReportNumbers.format(t, 0)).toList();
        addSeries(chart, "XA", categories, values.values().stream().map(m -> m.get("xa")).toList());
        addSeries(chart, "single", categories, values.values().stream().map(m -> m.get("single")).toList());
        return chart;
    }

    private static CategoryChart failover(JsonNode failover) {
        List<JsonNode> duplex = failover.get("duplex").get("runs").elements();
        List<JsonNode> stock = failover.get("stock").get("runs").elements();
        int runs = Math.max(duplex.size(), stock.size());
        List<String> categories = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            categories.add(Integer.toString(i));
        }
        CategoryChart chart = categoryChart("Client outage per failover run", "run", "client outage (ms)");
        Function<List<JsonNode>, List<Double>> outages = side -> {
            List<Double> padded = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                padded.add(i < side.size() ? side.get(i).get("outageMs").number().orElse(null) : null);
            }
            return padded;
        };
        if (failover.get("duplex").isPresent()) {
            addSeries(chart, "duplex", categories, outages.apply(duplex));
        }
        if (failover.get("stock").isPresent()) {
            addSeries(chart, "stock", categories, outages.apply(stock));
        }
        return chart;
    }

    /**
     * Successful requests per bucket on the left axis and p50 latency on a second axis at the right, over
     * time in seconds; each event is a dashed vertical line whose legend entry is the event's label.
     */
    private static XYChart timeline(JsonNode timeline) {
        double bucketMs = timeline.get("bucketMs").number(0);
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
        for (JsonNode bucket : timeline.get("buckets").elements()) {
            Optional<Double> t = bucket.get("tMs").number();
            if (t.isEmpty()) {
                continue;
            }
            double ok = bucket.get("successes").number(0);
            time.add(t.get() / 1000);
            successes.add(ok);
            // an empty bucket has no latency: a null leaves a gap in the line, where 0 ms would claim the
            // fastest answers at the worst moment
            latencyTime.add(t.get() / 1000);
            latency.add(ok > 0 ? bucket.get("p50Ms").number().orElse(null) : null);
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
        for (JsonNode event : timeline.get("events").elements()) {
            Optional<Double> t = event.get("tMs").number();
            if (t.isEmpty()) {
                continue;
            }
            double seconds = t.get() / 1000;
            String name = uniqueName(chart, ReportNumbers.format(seconds, 2) + " s: "
                    + event.get("label").text().orElse("event"));
            XYSeries marker = chart.addSeries(name, new double[] {seconds, seconds}, new double[] {0, top});
            marker.setMarker(SeriesMarkers.NONE);
            marker.setLineStyle(EVENT_STROKE);
        }
        return chart;
    }

    private static String timelineCaption(JsonNode timeline) {
        StringBuilder caption = new StringBuilder("successful requests per bucket and p50 latency over time");
        List<String> events = new ArrayList<>();
        for (JsonNode event : timeline.get("events").elements()) {
            event.get("tMs").number().ifPresent(t -> events.add(
                    event.get("label").text().orElse("event") + " at " + ReportNumbers.format(t / 1000, 2) + " s"));
        }
        if (!events.isEmpty()) {
            caption.append("; events: ").append(String.join(", ", events));
        }
        return caption.toString();
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
