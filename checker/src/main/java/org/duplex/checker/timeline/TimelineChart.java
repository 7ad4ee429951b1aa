package org.duplex.checker.timeline;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a {@link WriteTimeline} off-screen as a PNG: acknowledged writes per second as a line, each
 * fault interval shaded in its family's colour, one legend entry per family.
 */
public final class TimelineChart {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 420;
    private static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

    private TimelineChart() {
    }

    /** Writes {@code png} (the {@code .png} suffix is added by XChart when missing). */
    public static void save(WriteTimeline timeline, String title, Path png) throws IOException {
        String name = png.toString();
        if (name.endsWith(".png")) {
            name = name.substring(0, name.length() - 4);
        }
        BitmapEncoder.saveBitmap(chart(timeline, title), name, BitmapFormat.PNG);
    }

    static XYChart chart(WriteTimeline timeline, String title) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("time since the load started (s)").yAxisTitle("acknowledged writes per second").build();
        Styler styler = chart.getStyler();
        chart.getStyler().setAxisTitleFont(AXIS_TITLE_FONT);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(0);

        double top = Math.max(1, timeline.perSecond().stream().mapToLong(Long::longValue).max().orElse(1)) * 1.15;
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(top);
        double last = Math.max(1, (timeline.runEndMs() - timeline.runStartMs()) / 1000.0);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(last);

        // the shading first, so that the line is drawn over it
        Set<String> shown = new HashSet<>();
        int n = 0;
        for (FaultInterval f : timeline.faults()) {
            double from = Math.max(0, (f.startMs() - timeline.runStartMs()) / 1000.0);
            double to = Math.min(last, (f.endOr(timeline.runEndMs()) - timeline.runStartMs()) / 1000.0);
            if (to < from) {
                continue;
            }
            String kind = f.kind() == null ? "fault" : f.kind();
            boolean first = shown.add(kind);
            XYSeries area = chart.addSeries(first ? kind : kind + " #" + (++n),
                    new double[] {from, to}, new double[] {top, top});
            area.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
            area.setMarker(SeriesMarkers.NONE);
            Color c = colour(kind);
            area.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 70));
            area.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 140));
            area.setShowInLegend(first);
        }

        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < timeline.perSecond().size(); i++) {
            x.add(i + 0.5);
            y.add((double) timeline.perSecond().get(i));
        }
        if (x.isEmpty()) {
            x.add(0.0);
            y.add(0.0);
        }
        XYSeries writes = chart.addSeries("acknowledged writes/s (longest outage "
                + String.format(java.util.Locale.ROOT, "%.1f", timeline.longestOutageMs() / 1000.0) + " s)", x, y);
        writes.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        writes.setMarker(SeriesMarkers.NONE);
        writes.setLineColor(new Color(0x1f, 0x4e, 0x99));
        writes.setLineWidth(1.8f);
        return chart;
    }

    /** One colour per family of fault, so that a mixed run reads at a glance. */
    static Color colour(String kind) {
        return switch (kind) {
            case "partition" -> new Color(0xe0, 0x6c, 0x00);
            case "kill" -> new Color(0xc0, 0x1c, 0x28);
            case "pause" -> new Color(0x81, 0x3d, 0x9c);
            case "slow" -> new Color(0x26, 0xa2, 0x69);
            default -> Color.GRAY;
        };
    }
}
