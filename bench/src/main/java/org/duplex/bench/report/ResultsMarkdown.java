package org.duplex.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Renders {@code results.json} ({@link BenchResults}) as markdown: a header, one section per measurement in a fixed
 * order, and the list of charts. A section the run did not write is kept, with "not measured in this run",
 * so that two reports always have the same headings and a missing measurement cannot pass unnoticed.
 */
final class ResultsMarkdown {

    static final String NOT_MEASURED = "Not measured in this run.";
    /** Shown in a cell whose figure cannot exist (no runs, a mode that was not run). */
    private static final String NONE = "—";

    private ResultsMarkdown() {
    }

    static String render(BenchResults results, List<ChartFile> charts) {
        StringBuilder md = new StringBuilder();
        header(md, results);
        throughput(md, results.throughput());
        failover(md, results.failover());
        hung(md, results.hung());
        switchover(md, results.switchover());
        catchUp(md, results.catchUp());
        holds(md, results.holds());
        charts(md, charts);
        return md.toString();
    }

    private static void header(StringBuilder md, BenchResults results) {
        BenchResults.Machine machine = results.machine() != null ? results.machine()
                : new BenchResults.Machine(null, null, null, null);
        md.append("# Duplex benchmark results\n\n");
        md.append("Run of ").append(text(results.date()))
                .append(" on ").append(text(machine.cores())).append(" cores, ")
                .append(text(machine.memoryGiB())).append(" GiB memory, Java ")
                .append(text(machine.java())).append(", ")
                .append(text(machine.os()))
                .append("; command: `").append(text(results.command())).append("`\n");
    }

    private static void throughput(StringBuilder md, List<BenchResults.ThroughputCell> rows) {
        heading(md, "Throughput and latency");
        if (rows == null || rows.isEmpty()) {
            md.append(NOT_MEASURED).append('\n');
            return;
        }
        MarkdownTable table = new MarkdownTable("threads", "XA ops/s", "single ops/s", "XA / single ops/s",
                "XA p50 / p99 ms", "single p50 / p99 ms", "errors");
        byThreads(rows).forEach((threads, modes) -> {
            BenchResults.ThroughputCell xa = modes.get("xa");
            BenchResults.ThroughputCell single = modes.get("single");
            Optional<Double> xaOps = Optional.ofNullable(xa).map(BenchResults.ThroughputCell::opsPerSec);
            Optional<Double> singleOps = Optional.ofNullable(single).map(BenchResults.ThroughputCell::opsPerSec);
            String ratio = xaOps.isPresent() && singleOps.isPresent() && singleOps.get() > 0
                    ? ReportNumbers.fixed(xaOps.get() / singleOps.get(), 2) : NONE;
            double errors = modes.values().stream().mapToDouble(m -> value(m.errors())).sum();
            table.row(Integer.toString(threads), figure(xaOps, 1), figure(singleOps, 1), ratio,
                    latencies(xa), latencies(single), ReportNumbers.format(errors, 0));
        });
        md.append(table.render());
        md.append("\nXA / single is the ratio of the two ops/s columns; latencies are per request, "
                + "as seen by the client.\n");
    }

    /** One entry per thread count, ascending, with its cells by lower-case mode; cells without a thread count are skipped. */
    static Map<Integer, Map<String, BenchResults.ThroughputCell>> byThreads(List<BenchResults.ThroughputCell> rows) {
        Map<Integer, Map<String, BenchResults.ThroughputCell>> byThreads = new TreeMap<>();
        for (BenchResults.ThroughputCell row : rows) {
            if (row.threads() != null) {
                byThreads.computeIfAbsent(row.threads(), t -> new LinkedHashMap<>())
                        .put(row.mode() == null ? "" : row.mode().toLowerCase(Locale.ROOT), row);
            }
        }
        return byThreads;
    }

    private static void failover(StringBuilder md, BenchResults.Failover section) {
        heading(md, "Failover (primary killed under load)");
        Map<String, List<BenchResults.FailoverRun>> sides = sides(section);
        if (sides.isEmpty()) {
            md.append(NOT_MEASURED).append('\n');
            return;
        }
        String[] headers = new String[sides.size() + 1];
        headers[0] = "";
        int column = 1;
        for (String side : sides.keySet()) {
            headers[column++] = side;
        }
        MarkdownTable table = new MarkdownTable(headers);
        table.row(cells("runs", sides, runs -> ReportNumbers.format(runs.size(), 0)));
        table.row(cells("client outage p50 (ms)", sides, runs -> percentile(runs, BenchResults.FailoverRun::outageMs, 50)));
        table.row(cells("client outage p99 (ms)", sides, runs -> percentile(runs, BenchResults.FailoverRun::outageMs, 99)));
        table.row(cells("client outage max (ms)", sides, runs -> percentile(runs, BenchResults.FailoverRun::outageMs, 100)));
        table.row(cells("time to promotion p50 (ms)", sides,
                runs -> percentile(runs, BenchResults.FailoverRun::promotionMs, 50)));
        table.row(cells("acknowledged (total)", sides, runs -> sum(runs, run -> value(run.acknowledged()))));
        table.row(cells("acknowledged but missing from a database", sides, runs -> sum(runs, run -> {
            if (run.acknowledgedMissingA() != null) {
                // counted id by id: an errored call that committed cannot hide an acknowledged one that did not
                return value(run.acknowledgedMissingA()) + value(run.acknowledgedMissingB());
            }
            double acknowledged = value(run.acknowledged());
            return Math.max(0, acknowledged - value(run.rowsA())) + Math.max(0, acknowledged - value(run.rowsB()));
        })));
        table.row(cells("rows differing between databases", sides, runs -> sum(runs, run -> run.rowsInOneDatabase() != null
                ? run.rowsInOneDatabase() : Math.abs(value(run.rowsA()) - value(run.rowsB())))));
        table.row(cells("prepared transactions left in PostgreSQL", sides,
                runs -> sumIfMeasured(runs, BenchResults.FailoverRun::preparedLeft)));
        table.row(cells("time until none was left, p50 (ms)", sides,
                runs -> percentile(runs, BenchResults.FailoverRun::recoveryMs, 50)));
        table.row(cells("rows differing once none was left", sides,
                runs -> sumIfMeasured(runs, BenchResults.FailoverRun::rowsInOneDatabaseAfterRecovery)));
        table.row(cells("duplicates", sides, runs -> sumIfMeasured(runs, BenchResults.FailoverRun::duplicates)));
        table.row(cells("errors surfaced to callers", sides, runs -> sum(runs, run -> value(run.errors()))));
        table.row(cells("of which the write committed anyway", sides,
                runs -> sumIfMeasured(runs, BenchResults.FailoverRun::committedDespiteError)));
        md.append(table.render());
        md.append("\nPercentiles are nearest-rank over the runs. ")
                .append("\"Missing\" counts each acknowledged reservation absent from database A or B. ")
                .append("Prepared transactions are counted in both databases right after each run's load stopped, with the ")
                .append("killed node still down; the stock side then restarts it and times until its recovery finished them. ")
                .append("The stock side has no duplicate detection (\"—\"), and an error it surfaces leaves the outcome ")
                .append("unknown to the caller: the last row counts those whose write committed anyway, which a retry ")
                .append("would have doubled.\n");

        if (sides.containsKey("duplex") && sides.containsKey("stock")) {
            Percentiles duplexOutage = sample(sides.get("duplex"), BenchResults.FailoverRun::outageMs);
            Percentiles stockOutage = sample(sides.get("stock"), BenchResults.FailoverRun::outageMs);
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

    /** The runs of each side the file has, {@code duplex} first; empty when the failover part did not run. */
    static Map<String, List<BenchResults.FailoverRun>> sides(BenchResults.Failover section) {
        Map<String, List<BenchResults.FailoverRun>> sides = new LinkedHashMap<>();
        if (section != null && section.duplex() != null) {
            sides.put("duplex", section.duplex().runs());
        }
        if (section != null && section.stock() != null) {
            sides.put("stock", section.stock().runs());
        }
        return sides;
    }

    private static void hung(StringBuilder md, BenchResults.Runs<BenchResults.HungRun> section) {
        heading(md, "Hung primary (process paused)");
        if (section == null) {
            md.append(NOT_MEASURED).append('\n');
            return;
        }
        List<BenchResults.HungRun> runs = section.runs();
        double committedAfter = runs.stream().mapToDouble(run -> value(run.committedAfterPromotion())).sum();
        MarkdownTable table = new MarkdownTable("", "value")
                .row("runs", ReportNumbers.format(runs.size(), 0))
                .row("time to promotion p50 / max (ms)", percentile(runs, BenchResults.HungRun::promotionMs, 50)
                        + " / " + percentile(runs, BenchResults.HungRun::promotionMs, 100))
                .row("client outage p50 / max (ms)", percentile(runs, BenchResults.HungRun::outageMs, 50)
                        + " / " + percentile(runs, BenchResults.HungRun::outageMs, 100))
                // the fencing guarantee: a paused primary that wakes up must not commit once replaced
                .row("commits by the old primary after promotion (must be 0)", committedAfter == 0 ? "0"
                        : ReportNumbers.format(committedAfter, 0) + " **FENCING FAILED**")
                .row("errors surfaced to callers", sum(runs, run -> value(run.errors())));
        md.append(table.render());
    }

    private static void switchover(StringBuilder md, BenchResults.Runs<BenchResults.SwitchoverRun> section) {
        heading(md, "Planned switchover");
        if (section == null) {
            md.append(NOT_MEASURED).append('\n');
            return;
        }
        List<BenchResults.SwitchoverRun> runs = section.runs();
        MarkdownTable table = new MarkdownTable("", "value")
                .row("runs", ReportNumbers.format(runs.size(), 0))
                .row("client pause p50 / p99 / max (ms)", percentile(runs, BenchResults.SwitchoverRun::pauseMs, 50)
                        + " / " + percentile(runs, BenchResults.SwitchoverRun::pauseMs, 99)
                        + " / " + percentile(runs, BenchResults.SwitchoverRun::pauseMs, 100))
                .row("errors surfaced to callers", sum(runs, run -> value(run.errors())));
        md.append(table.render());
    }

    private static void catchUp(StringBuilder md, BenchResults.Runs<BenchResults.CatchUpRun> section) {
        heading(md, "Catch-up (journal replayed into a database that was down)");
        if (section == null) {
            md.append(NOT_MEASURED).append('\n');
            return;
        }
        MarkdownTable table = new MarkdownTable("run", "entries", "ms", "entries/s");
        List<Double> rates = new ArrayList<>();
        int index = 1;
        for (BenchResults.CatchUpRun run : section.runs()) {
            Optional<Double> rate = entriesPerSec(run);
            rate.ifPresent(rates::add);
            table.row(Integer.toString(index++), figure(Optional.ofNullable(run.entries()), 0),
                    figure(Optional.ofNullable(run.ms()), 0), figure(rate, 0));
        }
        md.append(table.render());
        Percentiles rate = Percentiles.of(rates);
        md.append('\n').append(rate.isEmpty() ? "No catch-up rate measured."
                : "Median: " + ReportNumbers.format(Math.rint(rate.median()), 0) + " entries/s over "
                        + rate.count() + (rate.count() == 1 ? " run." : " runs.")).append('\n');
    }

    /** The rate the runner wrote, else derived from entries and duration, so older files still report it. */
    private static Optional<Double> entriesPerSec(BenchResults.CatchUpRun run) {
        if (run.entriesPerSec() != null) {
            return Optional.of(run.entriesPerSec());
        }
        return run.entries() != null && run.ms() != null && run.ms() > 0
                ? Optional.of(run.entries() * 1000 / run.ms()) : Optional.empty();
    }

    private static void holds(StringBuilder md, BenchResults.Holds holds) {
        heading(md, "Holds");
        if (holds == null) {
            md.append(NOT_MEASURED).append('\n');
            return;
        }
        MarkdownTable latency = new MarkdownTable("operation", "p50 (ms)", "p99 (ms)");
        latency.row("reserve", figure(Optional.ofNullable(holds.reserveP50Ms()), 2),
                figure(Optional.ofNullable(holds.reserveP99Ms()), 2));
        latency.row("hold", figure(Optional.ofNullable(holds.holdP50Ms()), 2), figure(Optional.ofNullable(holds.holdP99Ms()), 2));
        latency.row("confirm", figure(Optional.ofNullable(holds.confirmP50Ms()), 2),
                figure(Optional.ofNullable(holds.confirmP99Ms()), 2));
        md.append("Each of ").append(figure(Optional.ofNullable(holds.operations()), 0))
                .append(" rounds from one thread, in the same run:\n\n").append(latency.render());
        MarkdownTable drill = new MarkdownTable("kill -9 of the primary while two threads place holds", "value");
        drill.row("holds acknowledged", figure(Optional.ofNullable(holds.acknowledgedBeforeKill()), 0))
                .row("of them live on the new primary (must be equal)", figure(Optional.ofNullable(holds.liveAfterKill()), 0))
                .row("time to promotion (ms)", figure(Optional.ofNullable(holds.promotionMs()), 0));
        md.append('\n').append(drill.render());
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

    private static String[] cells(String label, Map<String, List<BenchResults.FailoverRun>> sides,
                                  Function<List<BenchResults.FailoverRun>, String> figure) {
        String[] cells = new String[sides.size() + 1];
        cells[0] = label;
        int column = 1;
        for (List<BenchResults.FailoverRun> runs : sides.values()) {
            cells[column++] = figure.apply(runs);
        }
        return cells;
    }

    /** The figure of each run that has it. */
    static <T> Percentiles sample(List<T> runs, Function<T, ? extends Number> figure) {
        return Percentiles.of(runs.stream().map(figure).filter(Objects::nonNull).toList());
    }

    private static <T> String percentile(List<T> runs, Function<T, ? extends Number> figure, double percentile) {
        Percentiles sample = sample(runs, figure);
        return sample.isEmpty() ? NONE : ReportNumbers.format(sample.percentile(percentile), 1);
    }

    /** The sum of a counter over the runs, or "—" when no run measured it (a side that has no such thing). */
    private static <T> String sumIfMeasured(List<T> runs, Function<T, ? extends Number> counter) {
        return runs.stream().anyMatch(run -> counter.apply(run) != null)
                ? sum(runs, run -> value(counter.apply(run))) : NONE;
    }

    private static <T> String sum(List<T> runs, ToDoubleFunction<T> value) {
        return ReportNumbers.format(runs.stream().mapToDouble(value).sum(), 1);
    }

    /** A counter a run left out counts as zero. */
    static double value(Number number) {
        return number == null ? 0 : number.doubleValue();
    }

    private static String latencies(BenchResults.ThroughputCell mode) {
        if (mode == null) {
            return NONE;
        }
        return figure(Optional.ofNullable(mode.p50Ms()), 1) + " / " + figure(Optional.ofNullable(mode.p99Ms()), 1);
    }

    private static String figure(Optional<? extends Number> value, int decimals) {
        return value.map(v -> ReportNumbers.format(v.doubleValue(), decimals)).orElse(NONE);
    }

    /** A header value as it was written: text as it is, numbers without a needless ".0", "unknown" when absent. */
    private static String text(Object value) {
        if (value instanceof Number number) {
            return ReportNumbers.format(number.doubleValue(), 1);
        }
        return value == null ? "unknown" : value.toString();
    }
}
