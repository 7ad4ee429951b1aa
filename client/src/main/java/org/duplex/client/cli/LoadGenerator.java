package org.duplex.client.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.duplex.client.DuplexClient;
import org.duplex.client.GaveUpException;
import org.duplex.client.LatencyStats;
import org.duplex.client.OutageTracker;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.ReservationResult;
import org.duplex.reservation.api.ResourceView;

/**
 * Bounded reservation load through one {@link DuplexClient}: N threads, each with its own client id,
 * reserving on random resources with a fresh operation id per request until the duration ends.
 * It counts what the service confirmed, so a check can compare it with what the databases hold; it
 * never resends a request under a new operation id (that could reserve twice).
 */
public final class LoadGenerator {

    public static final int MIN_THREADS = 1;
    public static final int MAX_THREADS = 64;
    public static final int MIN_DURATION_S = 1;
    public static final int MAX_DURATION_S = 3600;

    /** What one run measured. */
    public record Result(String runId, List<String> clientIds, int threads, int quantity, long durationMs,
                         long acknowledged, long duplicates, long errors, long refused,
                         Map<String, Long> refusedByCode, double opsPerSec, double p50, double p99, double max,
                         double maxOutageMs, long retries, long primaryChanges, String lastError) {

        /** The loadgen JSON document; the field names are a contract (see DESIGN.md). */
        public String toJson() {
            JsonWriter w = new JsonWriter().beginObject();
            w.field("runId", runId);
            w.name("clientIds").beginArray();
            for (String id : clientIds) {
                w.value(id);
            }
            w.endArray();
            w.field("threads", threads)
                    .field("quantity", quantity)
                    .field("durationMs", durationMs)
                    .field("acknowledged", acknowledged)
                    .field("duplicates", duplicates)
                    .field("errors", errors)
                    .field("refused", refused);
            w.name("refusedByCode").beginObject();
            for (Map.Entry<String, Long> e : refusedByCode.entrySet()) {
                w.field(e.getKey(), e.getValue());
            }
            w.endObject();
            w.field("opsPerSec", round(opsPerSec));
            w.name("latencyMs").beginObject()
                    .field("p50", round(p50))
                    .field("p99", round(p99))
                    .field("max", round(max))
                    .endObject();
            w.field("maxOutageMs", round(maxOutageMs))
                    .field("retries", retries)
                    .field("primaryChanges", primaryChanges)
                    .field("lastError", lastError);
            return w.endObject().toString();
        }

        public String summary() {
            return String.format(java.util.Locale.ROOT,
                    "loadgen run %s: %d thread(s), %.1f s, quantity %d%n"
                            + "  acknowledged %d (duplicates %d), refused %d %s, errors (gave up) %d%n"
                            + "  %.1f ops/s; latency of acknowledged requests ms: p50 %.2f, p99 %.2f, max %.2f%n"
                            + "  longest time without a success %.1f ms; retries %d; primary changes %d%s",
                    runId, threads, durationMs / 1000.0, quantity, acknowledged, duplicates, refused,
                    refusedByCode, errors, opsPerSec, p50, p99, max, maxOutageMs, retries, primaryChanges,
                    lastError == null ? "" : String.format("%n  last error: %s", lastError));
        }

        private static double round(double d) {
            return Math.round(d * 1000.0) / 1000.0;
        }
    }

    private final DuplexClient client;

    public LoadGenerator(DuplexClient client) {
        this.client = client;
    }

    /**
     * Warms up (reads the binding, lists the resources), then runs the load. Requests still in flight
     * when the duration ends are finished (each is bounded by the client's deadline).
     *
     * @throws DuplexException listing the resources was refused
     * @throws IllegalStateException there is no resource to reserve
     */
    public Result run(int threads, long durationMs, int quantity) throws DuplexException, InterruptedException {
        if (threads < MIN_THREADS || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in " + MIN_THREADS + ".." + MAX_THREADS);
        }
        client.primary();
        List<ResourceView> resources = client.listResources();
        if (resources.isEmpty()) {
            throw new IllegalStateException("there is no resource to reserve: run the seed command first");
        }
        List<String> resourceIds = resources.stream().map(ResourceView::id).toList();
        String runId = String.format("%08x", ThreadLocalRandom.current().nextInt());
        List<String> clientIds = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            clientIds.add("loadgen-" + runId + "-" + i);
        }

        LatencyStats latency = new LatencyStats();
        OutageTracker outages = new OutageTracker();
        LongAdder acknowledged = new LongAdder();
        LongAdder duplicates = new LongAdder();
        LongAdder errors = new LongAdder();
        LongAdder refused = new LongAdder();
        Map<String, LongAdder> refusedByCode = new ConcurrentHashMap<>();
        AtomicReference<String> lastError = new AtomicReference<>();
        long retriesBefore = client.retries();
        long changesBefore = client.primaryChanges();

        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(durationMs);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String clientId = clientIds.get(i);
            Thread t = new Thread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    String resource = resourceIds.get(random.nextInt(resourceIds.size()));
                    long t0 = System.nanoTime();
                    try {
                        ReservationResult r = client.reserve(clientId, UUID.randomUUID().toString(), resource, quantity);
                        long t1 = System.nanoTime();
                        latency.recordNanos(t0, t1);
                        outages.success(t1);
                        acknowledged.increment();
                        if (r.duplicate()) {
                            duplicates.increment();
                        }
                    } catch (DuplexException e) {
                        refused.increment();
                        refusedByCode.computeIfAbsent(e.code(), k -> new LongAdder()).increment();
                    } catch (GaveUpException e) {
                        errors.increment();
                        lastError.set(e.getMessage());
                    } catch (RuntimeException e) {
                        // not a failure the client retries through (a bug, or the client closed): counted, and the run goes on
                        errors.increment();
                        lastError.set(e.toString());
                    }
                }
            }, "loadgen-" + i);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        long finish = System.nanoTime();

        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(finish - start);
        long acks = acknowledged.sum();
        double opsPerSec = elapsedMs == 0 ? 0 : acks * 1000.0 / elapsedMs;
        Map<String, Long> byCode = new TreeMap<>();
        refusedByCode.forEach((k, v) -> byCode.put(k, v.sum()));
        return new Result(runId, Collections.unmodifiableList(clientIds), threads, quantity, elapsedMs,
                acks, duplicates.sum(), errors.sum(), refused.sum(), byCode, opsPerSec,
                latency.p50(), latency.p99(), latency.max(), outages.maxGapMs(start, end),
                client.retries() - retriesBefore, client.primaryChanges() - changesBefore, lastError.get());
    }
}
