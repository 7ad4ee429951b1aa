package org.duplex.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.duplex.client.DuplexClient;
import org.duplex.client.GaveUpException;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.ReservationResult;

/**
 * Bounded reservation load from several threads through the failover-aware client, recording what
 * the service acknowledged, so a test can count it against both databases. Each thread has its own
 * client id and sends each request with a fresh operation id; the client library retries through
 * failures with the same id.
 */
final class ClientLoad implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClientLoad.class.getName());
    /** No load runs longer than this, whatever the test does. */
    private static final Duration HARD_LIMIT = Duration.ofMinutes(3);

    private final DuplexClient client;
    private final String resource;
    private final List<String> clientIds = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> successNanos = new ConcurrentLinkedQueue<>();

    ClientLoad(DuplexClient client, String resource, int threadCount) {
        this.client = client;
        this.resource = resource;
        String run = UUID.randomUUID().toString().substring(0, 8);
        long hardStop = System.nanoTime() + HARD_LIMIT.toNanos();
        for (int t = 0; t < threadCount; t++) {
            String clientId = "load-" + run + "-" + t;
            clientIds.add(clientId);
            threads.add(new Thread(() -> run(clientId, hardStop), clientId));
        }
    }

    ClientLoad start() {
        threads.forEach(Thread::start);
        return this;
    }

    private void run(String clientId, long hardStopNanos) {
        int n = 0;
        while (!stop.get() && System.nanoTime() < hardStopNanos) {
            String operation = "op-" + n++;
            try {
                ReservationResult r = client.reserve(clientId, operation, resource, 1);
                acknowledged.put(clientId + "/" + operation, r.id());
                if (r.duplicate()) {
                    duplicates.incrementAndGet();
                }
                successNanos.add(System.nanoTime());
            } catch (GaveUpException | DuplexException e) {
                errors.add(e);
            }
        }
    }

    /** Waits until at least {@code more} further requests were acknowledged. */
    void awaitMoreAcknowledged(int more, Duration timeout) throws Exception {
        int target = acknowledged.size() + more;
        Poll.until(timeout, target + " acknowledged", () -> acknowledged.size() >= target);
    }

    /** Stops starting new requests and waits for those in flight (each bounded by the client's deadline). */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(2));
        }
    }

    List<String> clientIds() {
        return clientIds;
    }

    /** Reservation ids the service acknowledged, one per acknowledged operation. */
    Set<String> acknowledgedIds() {
        return Set.copyOf(acknowledged.values());
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    int duplicates() {
        return duplicates.get();
    }

    List<Throwable> errors() {
        return List.copyOf(errors);
    }

    /** The longest time between two consecutive acknowledgements, in ms: what clients saw of an outage. */
    long maxOutageMs() {
        List<Long> times = new ArrayList<>(successNanos);
        Collections.sort(times);
        long max = 0;
        for (int i = 1; i < times.size(); i++) {
            max = Math.max(max, times.get(i) - times.get(i - 1));
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(max);
        LOG.info(() -> "load: " + acknowledged.size() + " acknowledged, " + duplicates.get() + " duplicates, "
                + errors.size() + " errors, longest gap between acknowledgements " + ms + " ms");
        return ms;
    }
}
