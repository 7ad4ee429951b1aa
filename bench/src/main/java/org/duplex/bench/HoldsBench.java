package org.duplex.bench;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.duplex.bench.report.BenchResults;
import org.duplex.client.DuplexClient;
import org.duplex.client.LatencyStats;
import org.duplex.reservation.api.Hold;

/**
 * The {@code holds} part of the bench (issue 12): the latency of {@code hold} and {@code confirm} against
 * {@code reserve} in the same run, one of each in turn from one thread on node-a as primary; then a kill drill,
 * holds placed by two threads while node-a is killed with {@code kill -9}, and the holds acknowledged against
 * those node-b, once promoted, holds live (docs/holds.md: they must be equal).
 */
final class HoldsBench {

    private final BenchCluster cluster;
    private final boolean quick;

    HoldsBench(BenchCluster cluster, boolean quick) {
        this.cluster = cluster;
        this.quick = quick;
    }

    /** Runs the part against {@code resource} (a large capacity) with node-a primary. */
    BenchResults.Holds run(DuplexClient client, String resource) throws Exception {
        String clientId = "bench-holds-" + UUID.randomUUID().toString().substring(0, 8);
        int operations = quick ? 200 : 1000;
        LatencyStats reserve = new LatencyStats();
        LatencyStats hold = new LatencyStats();
        LatencyStats confirm = new LatencyStats();
        say("holds: " + operations + " x (reserve, hold, confirm) from one thread");
        for (int i = 0; i < operations; i++) {
            long t0 = System.nanoTime();
            client.reserve(clientId, "r-" + i, resource, 1);
            long t1 = System.nanoTime();
            Hold h = client.hold(clientId, "h-" + i, resource, 1, 600);
            long t2 = System.nanoTime();
            client.confirm(clientId, "c-" + i, h.id());
            long t3 = System.nanoTime();
            reserve.recordNanos(t0, t1);
            hold.recordNanos(t1, t2);
            confirm.recordNanos(t2, t3);
        }
        Drill drill = killDrill(resource, clientId);
        say("holds: reserve p50 " + round(reserve.p50()) + " ms, hold p50 " + round(hold.p50()) + " ms, confirm p50 "
                + round(confirm.p50()) + " ms; kill drill: " + drill.acknowledged + " acknowledged, " + drill.live
                + " of them live on node-b");
        return new BenchResults.Holds((long) operations, round(reserve.p50()), round(reserve.p99()), round(hold.p50()),
                round(hold.p99()), round(confirm.p50()), round(confirm.p99()), drill.acknowledged, drill.live,
                drill.promotionMs);
    }

    private record Drill(long acknowledged, long live, double promotionMs) {
    }

    /**
     * Two threads place holds until node-b is promoted after the kill of node-a; a hold whose answer was lost
     * in the kill is not acknowledged (its client gave up), and is not counted either way.
     */
    private Drill killDrill(String resource, String clientId) throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        double promotionMs;
        // a short deadline: alone after the kill, node-b refuses new holds (holds-unavailable) until node-a is back
        try (DuplexClient drill = cluster.client(3_000)) {
            for (int t = 0; t < 2; t++) {
                String thread = "k" + t + "-";
                threads.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            acknowledged.add(drill.hold(clientId, thread + i, resource, 1, 600).id());
                        } catch (Exception unknownOrRefused) {
                            // not acknowledged: not counted
                        }
                    }
                    return null;
                });
            }
            BenchCluster.await(Duration.ofSeconds(30), "holds acknowledged before the kill", () -> acknowledged.size() >= 50);
            say("holds: kill -9 of node-a with holds being placed");
            long kill = System.nanoTime();
            cluster.launcher("kill", "node-a");
            long promoted = BenchCluster.await(Duration.ofSeconds(30), "node-b promoted",
                    () -> "node-b".equals(cluster.primary()));
            promotionMs = TimeUnit.NANOSECONDS.toMillis(promoted - kill);
            stop.set(true);
            threads.shutdown();
            if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the hold threads did not stop within 30 s");
            }
        } finally {
            threads.shutdownNow();
        }
        try (DuplexClient reader = cluster.client(30_000)) {
            Set<String> live = reader.listHolds(clientId).stream().map(Hold::id).collect(Collectors.toSet());
            long liveAcknowledged = acknowledged.stream().filter(live::contains).count();
            cluster.launcher("start", "node-a");
            return new Drill(acknowledged.size(), liveAcknowledged, promotionMs);
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void say(String s) {
        System.out.println("[bench] " + s);
    }
}
