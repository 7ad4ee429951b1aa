package org.duplex.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.duplex.client.DuplexClient;
import org.duplex.client.LatencyStats;
import org.duplex.client.OutageTracker;
import org.duplex.reservation.api.ReservationResult;

/**
 * Reservations from several threads, each request with a fresh operation id, until stopped or a hard limit:
 * through the failover-aware client, or through any other {@link Request} (the single-database baseline).
 * Records every acknowledgement with its completion time and latency, for throughput, outage, timeline and the
 * count against the databases; a request that fails (gave up, refused, or failed otherwise) counts as an error
 * and the thread goes on.
 */
final class Workload implements AutoCloseable {

    /** One acknowledged request: when it completed and how long it took, both in ns ({@link System#nanoTime()}). */
    record Sample(long endNanos, long latencyNanos) {
    }

    /** What the service answered: the reservation's id, and whether it answered an earlier request of the same operation. */
    record Ack(String id, boolean duplicate) {
    }

    /** One request of the load: one unit of {@code resource}, for {@code clientId} under {@code operationId}. */
    @FunctionalInterface
    interface Request {
        /**
         * @return the acknowledgement
         * @throws Exception the request was not acknowledged (an error of the load)
         */
        Ack send(String clientId, String operationId, String resource) throws Exception;
    }

    private static final long HARD_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final Request request;
    private final List<String> resources;
    private final List<String> clientIds = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Set<String> acknowledgedIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final LatencyStats latency = new LatencyStats();
    private final OutageTracker outages = new OutageTracker();
    final long startNanos;
    private volatile long stoppedNanos;

    /** The load through the failover-aware client: Duplex's replicated write. */
    Workload(DuplexClient client, List<String> resources, int threadCount) {
        this(through(client), resources, threadCount);
    }

    Workload(Request request, List<String> resources, int threadCount) {
        this.request = request;
        this.resources = resources;
        String run = UUID.randomUUID().toString().substring(0, 8);
        long hardStop = System.nanoTime() + HARD_LIMIT_NANOS;
        for (int t = 0; t < threadCount; t++) {
            String clientId = "bench-" + run + "-" + t;
            clientIds.add(clientId);
            threads.add(new Thread(() -> run(clientId, hardStop), clientId));
        }
        startNanos = System.nanoTime();
        threads.forEach(Thread::start);
    }

    private void run(String clientId, long hardStopNanos) {
        int n = 0;
        while (!stop.get() && System.nanoTime() < hardStopNanos) {
            long t0 = System.nanoTime();
            try {
                String resource = resources.get(ThreadLocalRandom.current().nextInt(resources.size()));
                Ack r = request.send(clientId, "op-" + n++, resource);
                long t1 = System.nanoTime();
                acknowledgedIds.add(r.id());
                if (r.duplicate()) {
                    duplicates.incrementAndGet();
                }
                latency.recordNanos(t0, t1);
                outages.success(t1);
                samples.add(new Sample(t1, t1 - t0));
            } catch (Exception e) {
                errors.incrementAndGet();
            }
        }
    }

    /** {@link DuplexClient#reserve} of one unit: resent through failovers until the client's deadline. */
    static Request through(DuplexClient client) {
        return (clientId, operationId, resource) -> {
            ReservationResult r = client.reserve(clientId, operationId, resource, 1);
            return new Ack(r.id(), r.duplicate());
        };
    }

    int acknowledged() {
        return acknowledgedIds.size();
    }

    /** Waits until {@code more} further acknowledgements arrived (or the timeout passed). */
    void awaitMore(int more, long timeoutMs) {
        int target = acknowledged() + more;
        try {
            BenchCluster.await(java.time.Duration.ofMillis(timeoutMs), target + " acknowledged", () -> acknowledged() >= target);
        } catch (IllegalStateException slow) {
            // the measurement goes on with what arrived; the counts say how much that was
        }
    }

    /** When the load was told to stop: the end of any window measured over it. */
    long stoppedNanos() {
        return stoppedNanos;
    }

    @Override
    public void close() throws InterruptedException {
        if (!stop.getAndSet(true)) {
            stoppedNanos = System.nanoTime();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(2));
        }
    }

    List<String> clientIds() {
        return clientIds;
    }

    Set<String> acknowledgedIds() {
        return Set.copyOf(acknowledgedIds);
    }

    int duplicates() {
        return duplicates.get();
    }

    int errors() {
        return errors.get();
    }

    LatencyStats latency() {
        return latency;
    }

    double maxGapMs() {
        return outages.maxGapMs();
    }

    double maxGapMs(long fromNanos, long toNanos) {
        return outages.maxGapMs(fromNanos, toNanos);
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** SQL list of this workload's client ids, for counting its rows. */
    String clientIdList() {
        return String.join(",", clientIds.stream().map(c -> "'" + c + "'").toList());
    }
}
