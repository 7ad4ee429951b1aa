package org.duplex.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.duplex.bench.report.BenchReport;
import org.duplex.client.DuplexClient;
import org.duplex.client.LatencyStats;
import org.duplex.bench.report.BenchResults;
import org.duplex.bench.report.BenchResults.CatchUpRun;
import org.duplex.bench.report.BenchResults.FailoverRun;
import org.duplex.bench.report.BenchResults.HungRun;
import org.duplex.bench.report.BenchResults.Runs;
import org.duplex.bench.report.BenchResults.SwitchoverRun;
import org.duplex.bench.report.BenchResults.ThroughputCell;

/**
 * {@code ./duplex bench}: runs the benchmarks against the throw-away cluster the launcher brought up
 * for it and writes {@code results.json}, then the report (markdown and charts) next to it.
 *
 * <p>Parts: {@code throughput} (XA over both databases against the same service writing one
 * database, interleaved, at 1, 4, 8 and 16 threads), {@code failover} ({@code kill -9} of the primary
 * under load, repeated; the first run also gives the timeline; each run is followed by the same drill
 * against WildFly's stock answer, see {@link StockDrill}), {@code hung} ({@code SIGSTOP} of the
 * primary), {@code switchover} (planned handovers under load), {@code catchup} (a database down
 * under load, then the replay) and {@code holds} (hold and confirm latency against reserve, then holds
 * acknowledged against holds live after a kill, see {@link HoldsBench}).
 */
public final class BenchRunner {

    /** The parts, in the order they run; named in lower case on the command line and in results.json's command. */
    enum Part {
        THROUGHPUT, FAILOVER, HUNG, SWITCHOVER, CATCHUP, HOLDS;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final BenchCluster cluster;
    private final boolean quick;
    private final Path out;
    private final Path stock;

    BenchRunner(BenchCluster cluster, boolean quick, Path out, Path stock) {
        this.cluster = cluster;
        this.quick = quick;
        this.out = out;
        this.stock = stock;
    }

    /** {@code java -jar duplex-bench.jar --help}: see {@link BenchCommand}. Exit codes: 0 done, 1 failure, 2 usage. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        if (!Boolean.getBoolean("duplex.bench.verbose")) {
            // the client libraries log every reconnect and every resend at INFO
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
        System.exit(BenchCommand.commandLine().execute(args));
    }

    /** Runs {@code parts} and writes results.json and the report; {@code arguments} go into the file's note. */
    void run(Set<Part> parts, String arguments) throws Exception {
        String date = Instant.now().toString();
        BenchResults.Machine machine = new BenchResults.Machine(Runtime.getRuntime().availableProcessors(),
                Math.round(totalMemoryGiB() * 10) / 10.0, System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"));
        String command = "./duplex bench" + (quick ? " --quick" : "") + (parts.size() < Part.values().length
                ? " --parts " + parts.stream().map(Part::label).collect(Collectors.joining(",")) : "");
        List<ThroughputCell> throughput = null;
        FailoverPart failover = new FailoverPart(null, null);
        Runs<HungRun> hung = null;
        Runs<SwitchoverRun> switchover = null;
        Runs<CatchUpRun> catchUp = null;
        BenchResults.Holds holds = null;
        try (DuplexClient client = cluster.client(30_000)) {
            List<String> drill = resources(client, "drill", 5);
            warmUp(client, drill);
            if (parts.contains(Part.THROUGHPUT)) {
                throughput = throughput(client);
            }
            if (parts.contains(Part.FAILOVER)) {
                failover = failover(client, drill);
            }
            if (parts.contains(Part.HUNG)) {
                hung = hung(client, drill);
            }
            if (parts.contains(Part.SWITCHOVER)) {
                switchover = switchover(client, drill);
            }
            if (parts.contains(Part.CATCHUP)) {
                catchUp = catchUp(client, drill);
            }
            if (parts.contains(Part.HOLDS)) {
                primaryIs("node-a");
                holds = new HoldsBench(cluster, quick).run(client, resources(client, "holds", 1).get(0));
            }
        }
        BenchResults results = new BenchResults(date, machine, command, "runner arguments: " + arguments, throughput,
                failover.failover(), failover.timeline(), hung, switchover, catchUp, holds);
        Path file = out.resolve("results.json");
        Files.writeString(file, results.toJson());
        say("results: " + file);
        Path md = BenchReport.write(file, out);
        System.out.println(Files.readString(md));
    }

    // ---------------------------------------------------------------- parts

    private void warmUp(DuplexClient client, List<String> resources) throws Exception {
        say("warming up (4 threads, " + (quick ? 3 : 10) + " s)");
        try (Workload w = new Workload(client, resources, 4)) {
            pause(quick ? 3_000 : 10_000);
        }
    }

    /**
     * Duplex's replicated write (XA over both databases, fenced) against the single-database baseline of
     * {@code stock/}, cell by cell, the order alternating. Without {@code --stock} only the XA cells are measured.
     */
    private List<ThroughputCell> throughput(DuplexClient client) throws Exception {
        long cellMs = quick ? 4_000 : 15_000;
        List<String> xa = resources(client, "xa", 5);
        List<String> single = java.util.stream.IntStream.rangeClosed(1, 5).mapToObj(i -> "bench-single-" + i).toList();
        List<ThroughputCell> cells = new ArrayList<>();
        try (SingleDatabaseBaseline baseline = stock == null ? null
                : new SingleDatabaseBaseline(cluster, stock, cluster.primary(), single)) {
            if (baseline == null) {
                say("throughput: no --stock, so no single-database baseline");
            }
            int[] threadCounts = {1, 4, 8, 16};
            for (int i = 0; i < threadCounts.length; i++) {
                int threads = threadCounts[i];
                List<String> order = baseline == null ? List.of("xa") : i % 2 == 0 ? List.of("xa", "single") : List.of("single", "xa");
                for (String mode : order) {
                    say("throughput: " + threads + " thread(s), " + mode + ", " + cellMs / 1000 + " s");
                    long t0 = System.nanoTime();
                    Workload w = mode.equals("xa") ? new Workload(client, xa, threads)
                            : new Workload(baseline.request(), single, threads);
                    pause(cellMs);
                    w.close();
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    LatencyStats l = w.latency();
                    cells.add(new ThroughputCell(threads, mode, round(w.acknowledged() / seconds), round(l.p50()),
                            round(l.p99()), (long) w.acknowledged(), (long) w.errors()));
                }
            }
        }
        return cells;
    }

    /** The failover part's two sections: the drills, and the timeline of the first Duplex run. */
    private record FailoverPart(BenchResults.Failover failover, BenchResults.Timeline timeline) {
    }

    private FailoverPart failover(DuplexClient client, List<String> resources) throws Exception {
        int runs = quick ? 5 : 10;
        StockDrill stockDrill = null;
        if (stock != null) {
            stockDrill = new StockDrill(cluster, stock, out.resolve("stock"));
            say("stock drill: deploying the plain bean (duplex-stock-ejb.jar) on both nodes");
            stockDrill.prepare(stock);
        }
        List<FailoverRun> duplexRuns = new ArrayList<>();
        List<FailoverRun> stockRuns = new ArrayList<>();
        Map<Long, long[]> timeline = null;
        List<BenchResults.Event> events = new ArrayList<>();
        long timelineStart = 0;
        for (int run = 1; run <= runs; run++) {
            primaryIs("node-a");
            say("failover " + run + "/" + runs + ": kill -9 of node-a under 4 client threads");
            Workload w = new Workload(client, resources, 4);
            w.awaitMore(200, 10_000);
            long kill = System.nanoTime();
            cluster.launcher("kill", "node-a");
            long promoted = BenchCluster.await(Duration.ofSeconds(30), "node-b promoted", () -> "node-b".equals(cluster.primary()));
            w.awaitMore(300, 10_000);
            long failback = 0;
            // the failover's outage ends here; the timeline run then goes on through restart and failback
            long restart = System.nanoTime();
            if (run == 1) {
                cluster.launcher("start", "node-a");
                failback = BenchCluster.await(Duration.ofSeconds(60), "failback to node-a", () -> "node-a".equals(cluster.primary()));
                w.awaitMore(300, 10_000);
            }
            w.close();
            long rowsA = rows(w, "db-a");
            long rowsB = rows(w, "db-b");
            duplexRuns.add(new FailoverRun((double) Math.round(w.maxGapMs(kill, run == 1 ? restart : w.stoppedNanos())),
                    ms(promoted - kill), (long) w.acknowledged(), rowsA, rowsB, (long) w.duplicates(), (long) w.errors(),
                    null, null, null, null, preparedTransactions(), null, null, null));
            if (run == 1) {
                timelineStart = w.startNanos;
                timeline = buckets(w.samples(), timelineStart);
                events.add(new BenchResults.Event(ms(kill - timelineStart), "kill -9 node-a"));
                events.add(new BenchResults.Event(ms(promoted - timelineStart), "node-b promoted"));
                events.add(new BenchResults.Event(ms(failback - timelineStart), "failback to node-a"));
            } else {
                cluster.launcher("start", "node-a");
            }
            if (stockDrill != null) {
                primaryIs("node-a");
                say("failover " + run + "/" + runs + ", stock: kill -9 of node-a under 4 threads of WildFly's own EJB client");
                FailoverRun r = stockDrill.run(run);
                say("  stock: outage " + Math.round(r.outageMs()) + " ms, " + r.errors() + " error(s) surfaced, "
                        + r.preparedLeft() + " prepared transaction(s) left until node-a came back");
                stockRuns.add(r);
            }
        }
        BenchResults.Failover failover = new BenchResults.Failover(new Runs<>(duplexRuns),
                stockDrill != null ? new Runs<>(stockRuns) : null);
        if (timeline == null) {
            return new FailoverPart(failover, null);
        }
        List<BenchResults.Bucket> buckets = new ArrayList<>();
        for (Map.Entry<Long, long[]> b : timeline.entrySet()) {
            long[] v = b.getValue();
            buckets.add(new BenchResults.Bucket((double) (b.getKey() * 100), v[0], v[0] == 0 ? 0 : v[1] / 1000.0,
                    v[2] / 1000.0));
        }
        return new FailoverPart(failover, new BenchResults.Timeline(100.0, buckets, events));
    }

    private Runs<HungRun> hung(DuplexClient client, List<String> resources) throws Exception {
        int runs = quick ? 2 : 5;
        List<HungRun> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            primaryIs("node-a");
            say("hung primary " + run + "/" + runs + ": SIGSTOP of node-a under 2 client threads");
            Workload w = new Workload(client, resources, 2);
            w.awaitMore(100, 10_000);
            long stop = System.nanoTime();
            cluster.launcher("pause", "node-a");
            long promoted;
            try {
                promoted = BenchCluster.await(Duration.ofSeconds(30), "node-b promoted", () -> "node-b".equals(cluster.primary()));
                w.awaitMore(100, 10_000);
            } finally {
                cluster.launcher("resume", "node-a");
            }
            long epoch = Long.parseLong(cluster.clusterState()[1]);
            BenchCluster.await(Duration.ofSeconds(30), "node-a stepped down",
                    () -> hasHeartbeat("node-a", beat -> "backup".equals(beat.role())));
            w.awaitMore(50, 10_000);
            w.close();
            long after = cluster.count("db-a", "select count(*) from reservation where node = 'node-a' and epoch >= ?", epoch)
                    + cluster.count("db-b", "select count(*) from reservation where node = 'node-a' and epoch >= ?", epoch);
            results.add(new HungRun(ms(promoted - stop), (double) Math.round(w.maxGapMs(stop, w.stoppedNanos())), after,
                    (long) w.errors()));
        }
        return new Runs<>(results);
    }

    private Runs<SwitchoverRun> switchover(DuplexClient client, List<String> resources) throws Exception {
        int runs = quick ? 4 : 10;
        List<SwitchoverRun> results = new ArrayList<>();
        primaryIs("node-a");
        // the handover alone is measured: with failback auto (2 s on this cluster), node-a would take control
        // back from node-b while the launcher still waits to see node-b in charge
        setFailback("manual");
        Workload w = new Workload(client, resources, 4);
        try {
            for (int run = 1; run <= runs; run++) {
                String to = run % 2 == 1 ? "node-b" : "node-a";
                w.awaitMore(200, 10_000);
                say("switchover " + run + "/" + runs + " to " + to + " under 4 client threads");
                int errorsBefore = w.errors();
                long t0 = System.nanoTime();
                cluster.launcher("switchover", to);
                long t1 = System.nanoTime();
                w.awaitMore(200, 10_000);
                results.add(new SwitchoverRun((double) Math.round(w.maxGapMs(t0, t1 + TimeUnit.SECONDS.toNanos(1))),
                        (long) (w.errors() - errorsBefore)));
            }
        } finally {
            w.close();
            setFailback("auto");
        }
        return new Runs<>(results);
    }

    /** Sets {@code duplex.failback} (auto or manual) on both nodes at runtime, as a management system property. */
    private void setFailback(String policy) throws Exception {
        for (String node : List.of("node-a", "node-b")) {
            cluster.cli(node, "/system-property=duplex.failback:" + (policy.equals("manual")
                    ? "add(value=manual)" : "write-attribute(name=value, value=" + policy + ")"));
        }
    }

    private Runs<CatchUpRun> catchUp(DuplexClient client, List<String> resources) throws Exception {
        int runs = quick ? 1 : 3;
        List<CatchUpRun> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            primaryIs("node-a");
            say("catch-up " + run + "/" + runs + ": db-b down for " + (quick ? 5 : 15) + " s under 4 client threads");
            Workload w = new Workload(client, resources, 4);
            try {
                w.awaitMore(100, 10_000);
                cluster.launcher("kill", "db-b");
                pause(quick ? 5_000 : 15_000);
                cluster.launcher("start", "db-b");
                BenchCluster.await(Duration.ofSeconds(120), "back in sync",
                        () -> hasHeartbeat("node-a", beat -> "sync".equals(beat.mode())));
            } finally {
                w.close();
            }
            Heartbeat beat = cluster.heartbeat("node-a");
            if (beat != null) {
                beat.lastCatchUpRun(w.errors()).ifPresent(results::add);
            }
        }
        return new Runs<>(results);
    }

    // ---------------------------------------------------------------- helpers

    private List<String> resources(DuplexClient client, String kind, int n) throws Exception {
        List<String> ids = new ArrayList<>();
        try (DuplexClient admin = cluster.admin()) {
            for (int i = 1; i <= n; i++) {
                String id = "bench-" + kind + "-" + i;
                admin.createResource(id, "Bench " + kind + " " + i, 1_000_000_000L);
                ids.add(id);
            }
        }
        return ids;
    }

    private void primaryIs(String node) throws Exception {
        BenchCluster.await(Duration.ofSeconds(120), "both nodes serving",
                () -> cluster.heartbeat("node-a") != null && cluster.heartbeat("node-b") != null);
        if (!node.equals(cluster.primary())) {
            cluster.launcher("switchover", node);
        }
    }

    private boolean hasHeartbeat(String node, Predicate<Heartbeat> condition) {
        Heartbeat beat = cluster.heartbeat(node);
        return beat != null && condition.test(beat);
    }

    private long preparedTransactions() throws Exception {
        return cluster.count("db-a", "select count(*) from pg_prepared_xacts")
                + cluster.count("db-b", "select count(*) from pg_prepared_xacts");
    }

    private long rows(Workload w, String db) throws Exception {
        return cluster.count(db, "select count(*) from reservation where client_id in (" + w.clientIdList() + ")");
    }

    /**
     * The failover timeline: per 100 ms bucket after {@code start} ({@link System#nanoTime()}), from the first
     * bucket to the last one a sample completed in, {successes, nearest-rank p50 latency, max latency}, both
     * latencies in whole µs as an HdrHistogram of {@link LatencyStats#SIGNIFICANT_DIGITS} digits gives them
     * (exact below 32.768 ms, less than 0.01 % high above); a bucket without a success is {0, 0, 0}.
     */
    static Map<Long, long[]> buckets(List<Workload.Sample> samples, long start) {
        TreeMap<Long, List<Workload.Sample>> byBucket = new TreeMap<>();
        for (Workload.Sample s : samples) {
            byBucket.computeIfAbsent((s.endNanos() - start) / 100_000_000L, k -> new ArrayList<>()).add(s);
        }
        Map<Long, long[]> result = new TreeMap<>();
        long last = byBucket.isEmpty() ? 0 : byBucket.lastKey();
        // one histogram for every bucket in turn: each holds some 250 KB however few latencies it counts
        Histogram latency = new Histogram(LatencyStats.SIGNIFICANT_DIGITS);
        for (long b = 0; b <= last; b++) {
            latency.reset();
            for (Workload.Sample s : byBucket.getOrDefault(b, List.of())) {
                latency.recordValue(LatencyStats.micros(s.latencyNanos()));
            }
            result.put(b, new long[] {latency.getTotalCount(), latency.getValueAtPercentile(50),
                    latency.getMaxValue()});
        }
        return result;
    }

    /** Whole milliseconds of a nanoTime difference, as results.json holds durations. */
    private static Double ms(long nanos) {
        return (double) TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double totalMemoryGiB() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / (1024.0 * 1024 * 1024);
        }
        return -1;
    }

    private static void pause(long ms) throws InterruptedException {
        // the length of a measurement window, not a wait for something to happen
        Thread.sleep(ms);
    }

    private static void say(String s) {
        System.out.println("[bench] " + s);
    }
}
