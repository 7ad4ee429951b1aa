package org.duplex.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Renders the parsed {@code results.json} as markdown: a header, one section per measurement in a fixed
 * order, and the list of charts. A section the run did not write is kept, with "not measured in this run",
 * so that two reports always have the same headings and a missing measurement cannot pass unnoticed.
 */
final class ResultsMarkdown {

    static final String NOT_MEASURED = "Not measured in this run.";
    /** Shown in a cell whose figure cannot exist (no runs, a mode that was not run). */
    private static final String NONE = "—";

    private ResultsMarkdown() {
    }

    static String render(JsonNode root, List<ChartFile> charts) {
        StringBuilder md = new StringBuilder();
        header(md, root);
        throughput(md, root.get("throughput"));
        failover(md, root.get("failover"));
        hung(md, root.get("hung"));
        switchover(md, root.get("switchover"));
        catchUp(md, root.get("catchUp"));
        charts(md, charts);
        return md.toString();
    }

    private static void header(StringBuilder md, JsonNode root) {
        JsonNode machine = root.get("machine");
        md.append("# Duplex benchmark results\n\n");
        md.append("Run of ").append(text(root.get("date")))
                .append(" on ").append(text(machine.get("cores"))).append(" cores, ")
                .append(text(machine.get("memoryGiB"))).append(" GiB memory, Java ")
                .append(text(machine.get("java"))).append(", ")
                .append(text(machine.get("os")))
                .append("; command: `").append(text(root.get("command"))).append("`\n");
    }

    private static void throughput(StringBuilder md, JsonNode section) {
        heading(md, "Throughput and latency");
        List<JsonNode> rows = section.elements();
        if (rows.isEmpty()) {
            md.append(NOT_MEASURED).append('\n');
            return;
        }
        // one table row per thread count, the two modes side by side; rows without a thread count are skipped
        Map<Double, Map<String, JsonNode>> byThreads = new TreeMap<>();
        for (JsonNode row : rows) {
            row.get("threads").number().ifPresent(threads -> byThreads
                    .computeIfAbsent(threads, t -> new LinkedHashMap<>())
                    .put(row.get("mode").text().orElse("").toLowerCase(Locale.ROOT), row));
        }
        MarkdownTable table = new MarkdownTable("threads", "XA ops/s", "single ops/s", "XA / single ops/s",
                "XA p50 / p99 ms", "single p50 / p99 ms", "errors");
        byThreads.forEach((threads, modes) -> {
            JsonNode xa = modes.getOrDefault("xa", JsonNode.of(null));
            JsonNode single = modes.getOrDefault("single", JsonNode.of(null));
            Optional<Double> xaOps = xa.get("opsPerSec").number();
            Optional<Double> singleOps = single.get("opsPerSec").number();
            String ratio = xaOps.isPresent() && singleOps.isPresent() && singleOps.get() > 0
                    ? ReportNumbers.fixed(xaOps.get() / singleOps.get(), 2) : NONE;
            double errors = modes.values().stream().mapToDouble(m -> m.get("errors").number(0)).sum();
            table.row(ReportNumbers.format(threads, 0), figure(xaOps, 1), figure(singleOps, 1), ratio,
                    latencies(xa), latencies(single), ReportNumbers.format(errors, 0));
        });
        md.append(table.render());
        md.append("\nXA / single is the ratio of the two ops/s columns; latencies are per request, "
                + "as seen by the client.\n");
    }

    private static void failover(StringBuilder md, JsonNode section) {
        heading(md, "Failover (primary killed under load)");
        JsonNode duplex = section.get("duplex");
        JsonNode stock = section.get("stock");
        if (!duplex.isPresent() && !stock.isPresent()) {
            md.append(NOT_MEASURED).append('\n');
            return;
        }
        Map<String, List<JsonNode>> sides = new LinkedHashMap<>();
        if (duplex.isPresent()) {
            sides.put("duplex", duplex.get("runs").elements());
        }
        if (stock.isPresent()) {
            sides.put("stock", stock.get("runs").elements());
        }
        String[] headers = new String[sides.size() + 1];
        headers[0] = "";
        int column = 1;
        for (String side : sides.keySet()) {
            headers[column++] = side;
        }
        MarkdownTable table = new MarkdownTable(headers);
        table.row(cells("runs", sides, runs -> ReportNumbers.format(runs.size(), 0)));
        table.row(cells("client outage p50 (ms)", sides, runs -> percentile(runs, "outageMs", 50)));
        table.row(cells("client outage p99 (ms)", sides, runs -> percentile(runs, "outageMs", 99)));
        table.row(cells("client outage max (ms)", sides, runs -> percentile(runs, "outageMs", 100)));
        table.row(cells("time to promotion p50 (ms)", sides, runs -> percentile(runs, "promotionMs", 50)));
        table.row(cells("acknowledged (total)", sides, runs -> sum(runs, run -> run.get("acknowledged").number(0))));
        table.row(cells("acknowledged but missing from a database", sides, runs -> sum(runs, run -> {
            if (run.get("acknowledgedMissingA").isPresent()) {
                // counted id by id: an errored call that committed cannot hide an acknowledged one that did not
                return run.get("acknowledgedMissingA").number(0) + run.get("acknowledgedMissingB").number(0);
            }
            double acknowledged = run.get("acknowledged").number(0);
            return Math.max(0, acknowledged - run.get("rowsA").number(0))
                    + Math.max(0, acknowledged - run.get("rowsB").number(0));
        })));
        table.row(cells("rows differing between databases", sides, runs -> sum(runs, run -> run.get("rowsInOneDatabase")
                .number().orElseGet(() -> Math.abs(run.get("rowsA").number(0) - run.get("rowsB").number(0))))));
        table.row(cells("prepared transactions left in PostgreSQL", sides, runs -> sumIfMeasured(runs, "preparedLeft")));
        table.row(cells("time until none was left, p50 (ms)", sides, runs -> percentile(runs, "recoveryMs", 50)));
        table.row(cells("rows differing once none was left", sides,
                runs -> sumIfMeasured(runs, "rowsInOneDatabaseAfterRecovery")));
        table.row(cells("duplicates", sides, runs -> sumIfMeasured(runs, "duplicates")));
        table.row(cells("errors surfaced to callers", sides, runs -> sum(runs, run -> run.get("errors").number(0))));
        table.row(cells("of which the write committed anyway", sides, runs -> sumIfMeasured(runs, "committedDespiteError")));
        md.append(table.render());
        md.append("\nPercentiles are nearest-rank over the runs. ")
                .append("\"Missing\" counts each acknowledged reservation absent from database A or B. ")
                .append("Prepared transactions are counted in both databases right after each run's load stopped, with the ")
                .append("killed node still down; the stock side then restarts it and times until its recovery finished them. ")
                .append("The stock side has no duplicate detection (\"—\"), and an error it surfaces leaves the outcome ")
                .append("unknown to the caller: the last row counts those whose write committed anyway, which a retry ")
                .append("would have doubled.\n");

        if (sides.containsKey("duplex") && sides.containsKey("stock")) {
            Percentiles duplexOutage = sample(sides.get("duplex"), "outageMs");
            Percentiles stockOutage = sample(sides.get("stock"), "outageMs");
            if (duplexOutage.isEmpty() || stockOutage.isEmpty()) {
                md.append("\nNo ratio of median outages: one side has no outage measured.\n");
            } else if (stockOutage.median() == 0) {
                md.append("\nNo ratio of median outages: the stock median outage is 0 ms.\n");
            } else {
                md.append("\nRatio of median outages, duplex / stock: ")
                        .append(ReportNumbers.fixed(duplexOutage.median() / stockOutage.median(), 2))
                        .append(" (").append(ReportNumbers.format(duplexOutage.median(), 1)).append(" ms / ")
                        .append(ReportNumbers.format(stockOutage.median(), 1)).append(" ms).\n");
            }
        }
    }

    private static void hung(StringBuilder md, JsonNode section) {
        heading(md, "Hung primary (process paused)");
        if (!section.isPresent()) {
            md.append(NOT_MEASURED).append('\n');
            return;
        }
        List<JsonNode> runs = section.get("runs").elements();
        double committedAfter = runs.stream()
                .mapToDouble(run -> run.get("committedAfterPromotion").number(0)).sum();
        MarkdownTable table = new MarkdownTable("", "value")
                .row("runs", ReportNumbers.format(runs.size(), 0))
                .row("time to promotion p50 / max (ms)",
                        percentile(runs, "promotionMs", 50) + " / " + percentile(runs, "promotionMs", 100))
                .row("client outage p50 / max (ms)",
                        percentile(runs, "outageMs", 50) + " / " + percentile(runs, "outageMs", 100))
                // the fencing guarantee: a paused primary that wakes up must not commit once replaced
                .row("commits by the old primary after promotion (must be 0)", committedAfter == 0 ? "0"
                        : ReportNumbers.format(committedAfter, 0) + " **FENCING FAILED**")
                .row("errors surfaced to callers", sum(runs, run -> run.get("errors").number(0)));
        md.append(table.render());
    }

    private static void switchover(StringBuilder md, JsonNode section) {
        heading(md, "Planned switchover");
        if (!section.isPresent()) {
            md.append(NOT_MEASURED).append('\n');
            return;
        }
        List<JsonNode> runs = section.get("runs").elements();
        MarkdownTable table = new MarkdownTable("", "value")
                .row("runs", ReportNumbers.format(runs.size(), 0))
                .row("client pause p50 / p99 / max (ms)", percentile(runs, "pauseMs", 50) + " / "
                        + percentile(runs, "pauseMs", 99) + " / " + percentile(runs, "pauseMs", 100))
                .row("errors surfaced to callers", sum(runs, run -> run.get("errors").number(0)));
        md.append(table.render());
    }

    private static void catchUp(StringBuilder md, JsonNode section) {
        heading(md, "Catch-up (journal replayed into a database that was down)");
        if (!section.isPresent()) {
            md.append(NOT_MEASURED).append('\n');
            return;
        }
        List<JsonNode> runs = section.get("runs").elements();
        MarkdownTable table = new MarkdownTable("run", "entries", "ms", "entries/s");
        List<Double> rates = new ArrayList<>();
        int index = 1;
        for (JsonNode run : runs) {
            Optional<Double> rate = entriesPerSec(run);
            rate.ifPresent(rates::add);
            table.row(Integer.toString(index++), figure(run.get("entries").number(), 0),
                    figure(run.get("ms").number(), 0), figure(rate, 0));
        }
        md.append(table.render());
        Percentiles rate = Percentiles.of(rates);
        md.append('\n').append(rate.isEmpty() ? "No catch-up rate measured."
                : "Median: " + ReportNumbers.format(Math.rint(rate.median()), 0) + " entries/s over "
                        + rate.count() + (rate.count() == 1 ? " run." : " runs.")).append('\n');
    }

    /** The rate the runner wrote, else derived from entries and duration, so older files still report it. */
    private static Optional<Double> entriesPerSec(JsonNode run) {
        Optional<Double> written = run.get("entriesPerSec").number();
        if (written.isPresent()) {
            return written;
        }
        Optional<Double> entries = run.get("entries").number();
        Optional<Double> ms = run.get("ms").number();
        return entries.isPresent() && ms.isPresent() && ms.get() > 0
                ? Optional.of(entries.get() * 1000 / ms.get()) : Optional.empty();
    }

    private static void charts(StringBuilder md, List<ChartFile> charts) {
        heading(md, "Charts");
        if (charts.isEmpty()) {
            md.append("No chart: nothing charted was measured in this run.\n");
            return;
        }
        for (ChartFile chart : charts) {
            md.append("- [").append(chart.name()).append("](").append(chart.name()).append("): ")
                    .append(chart.caption()).append('\n');
        }
    }

    private static void heading(StringBuilder md, String title) {
        md.append("\n## ").append(title).append("\n\n");
    }

    private static String[] cells(String label, Map<String, List<JsonNode>> sides,
                                  Function<List<JsonNode>, String> figure) {
        String[] cells = new String[sides.size() + 1];
        cells[0] = label;
        int column = 1;
        for (List<JsonNode> runs : sides.values()) {
            cells[column++] = figure.apply(runs);
        }
        return cells;
    }

    static Percentiles sample(List<JsonNode> runs, String key) {
        return Percentiles.of(runs.stream().map(run -> run.get(key).number())
                .flatMap(Optional::stream).toList());
    }

    private static String percentile(List<JsonNode> runs, String key, double percentile) {
        Percentiles sample = sample(runs, key);
        return sample.isEmpty() ? NONE : ReportNumbers.format(sample.percentile(percentile), 1);
    }

    /** The sum of a counter over the runs, or "—" when no run measured it (a side that has no such thing). */
    private static String sumIfMeasured(List<JsonNode> runs, String key) {
        return runs.stream().anyMatch(run -> run.get(key).isPresent())
                ? sum(runs, run -> run.get(key).number(0)) : NONE;
    }

    private static String sum(List<JsonNode> runs, ToDoubleFunction<JsonNode> value) {
        return ReportNumbers.format(runs.stream().mapToDouble(value).sum(), 1);
    }

    private static String latencies(JsonNode mode) {
        if (!mode.isPresent()) {
            return NONE;
        }
        return figure(mode.get("p50Ms").number(), 1) + " / " + figure(mode.get("p99Ms").number(), 1);
    }

    private static String figure(Optional<Double> value, int decimals) {
        return value.map(v -> ReportNumbers.format(v, decimals)).orElse(NONE);
    }

    private static String text(JsonNode node) {
        return node.text().orElse("unknown");
    }
}
