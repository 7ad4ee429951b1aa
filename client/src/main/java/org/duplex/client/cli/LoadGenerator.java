package org.duplex.client.cli;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
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
import java.util.function.Function;

import org.duplex.client.DuplexClient;
import org.duplex.client.GaveUpException;
import org.duplex.client.LatencyStats;
import org.duplex.client.OutageTracker;
import org.duplex.client.history.HistoryFile;
import org.duplex.client.history.HistoryRecord;
import org.duplex.client.history.HistoryRecord.Outcome;
import org.duplex.client.history.HistoryRecord.Type;
import org.duplex.reservation.api.ClientIds;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.Hold;
import org.duplex.reservation.api.ReservationResult;
import org.duplex.reservation.api.ResourceView;

/**
 * Bounded reservation load through one {@link DuplexClient}: N threads, each with its own client id
 * (one the configured user owns, {@link ClientIds#of(String, String)}),
 * reserving on random resources with a fresh operation id per request until the duration ends, and,
 * with a cancel percentage, cancelling some of its own acknowledged reservations (each cancel with a
 * fresh operation id, each reservation cancelled at most once). With a hold percentage, some requests
 * place a short hold instead (docs/holds.md), and the thread follows its own acknowledged holds up: it confirms
 * some, releases some and leaves the rest to expire, each follow-up once, under a fresh operation id, before the
 * hold's expiry (unless a fault delays it past it).
 * It counts what the service confirmed, so a check can compare it with what the databases hold; it
 * never resends a request under a new operation id (that could reserve twice). With a
 * {@link HistoryFile} it records every operation and its outcome, for the history checker.
 *
 * <p>{@code acknowledged} counts acknowledged reservations only, reserves and confirms (every one is a row in
 * the databases, cancelled or not); {@code cancelled} counts acknowledged cancels, {@code holds} acknowledged
 * holds and {@code released} acknowledged releases. A request refused with a retryable error until the
 * client's deadline is an error, its outcome unknown, like any write the client gave up on. A hold placement
 * has a deadline of its own, {@link #HOLD_DEADLINE_MS} (holds are refused, {@code holds-unavailable}, while the
 * other node is absent), and after one that was not acknowledged the thread reserves only for
 * {@link #HOLD_PAUSE_MS}: the load's reserves, and the outage measured from them, are not held up by holds.
 */
public final class LoadGenerator {

    public static final int MIN_THREADS = 1;
    public static final int MAX_THREADS = 64;
    public static final int MIN_DURATION_S = 1;
    public static final int MAX_DURATION_S = 3600;
    public static final int MAX_CANCEL_PERCENT = 100;
    /** Default of {@code --hold-seconds}: short, so that holds expire during a run of a minute. */
    public static final int DEFAULT_HOLD_SECONDS = 20;

    /** What becomes of an acknowledged hold of the load, in percent: confirmed, released, else left to expire. */
    static final int CONFIRM_SHARE = 40;
    static final int RELEASE_SHARE = 30;
    /**
     * The retry deadline of a hold placement, ms. Holds are refused, retryable ({@code holds-unavailable}), for
     * as long as the other node is absent (docs/holds.md); with the client's whole deadline a thread would sit in
     * one placement for all of a cut between the nodes, and its reserves with it.
     */
    static final long HOLD_DEADLINE_MS = 2_000;
    /** After a placement that was not acknowledged, the thread places no hold for this long, ms: it reserves. */
    static final long HOLD_PAUSE_MS = 5_000;

    /**
     * What to run: {@code cancelPercent} of the requests (0..100) cancel one of the thread's own
     * acknowledged reservations when it has one; {@code holdPercent} (0..100) of the others place a hold of
     * {@code holdSeconds} (1..{@link org.duplex.reservation.api.ReservationService#MAX_HOLD_SECONDS}) instead of
     * reserving; {@code history} (null for none) receives every operation.
     *
     * @throws IllegalArgumentException a value out of its range
     */
    public record Options(int threads, long durationMs, int quantity, int cancelPercent, int holdPercent,
                          int holdSeconds, HistoryFile history) {
        public Options {
            if (threads < MIN_THREADS || threads > MAX_THREADS) {
                throw new IllegalArgumentException("threads must be in " + MIN_THREADS + ".." + MAX_THREADS);
            }
            if (cancelPercent < 0 || cancelPercent > MAX_CANCEL_PERCENT) {
                throw new IllegalArgumentException("cancel percent must be in 0.." + MAX_CANCEL_PERCENT);
            }
            if (holdPercent < 0 || holdPercent > MAX_CANCEL_PERCENT) {
                throw new IllegalArgumentException("hold percent must be in 0.." + MAX_CANCEL_PERCENT);
            }
            if (holdSeconds < 1 || holdSeconds > org.duplex.reservation.api.ReservationService.MAX_HOLD_SECONDS) {
                throw new IllegalArgumentException("hold seconds must be in 1.."
                        + org.duplex.reservation.api.ReservationService.MAX_HOLD_SECONDS);
            }
        }

        /** Without holds. */
        public Options(int threads, long durationMs, int quantity, int cancelPercent, HistoryFile history) {
            this(threads, durationMs, quantity, cancelPercent, 0, DEFAULT_HOLD_SECONDS, history);
        }
    }

    /**
     * What one run measured. {@code durationMs} in ms, {@code opsPerSec} acknowledged reserves and cancels per
     * second; {@code p50}, {@code p99} and {@code max}: latency of acknowledged requests in ms, as
     * {@link LatencyStats} gives it (nearest rank, to the microsecond below 32.768 ms, less than 0.01 % high
     * above); {@code maxOutageMs}: the longest time in ms without a success.
     */
    public record Result(String runId, List<String> clientIds, int threads, int quantity, long durationMs,
                         long acknowledged, long cancelled, long holds, long released, long duplicates, long errors,
                         long refused, Map<String, Long> refusedByCode, double opsPerSec, double p50, double p99, double max,
                         double maxOutageMs, long retries, long primaryChanges, String lastError) {

        /** The loadgen JSON document, {@link Summary}; the field names are a contract (docs/operating.md). */
        public String toJson() {
            return JsonDocuments.write(new Summary(runId, clientIds, threads, quantity, durationMs, acknowledged,
                    cancelled, holds, released, duplicates, errors, refused, refusedByCode, round(opsPerSec),
                    new Latency(round(p50), round(p99), round(max)), round(maxOutageMs), retries, primaryChanges,
                    lastError));
        }

        public String summary() {
            return String.format(java.util.Locale.ROOT,
                    "loadgen run %s: %d thread(s), %.1f s, quantity %d%n"
                            + "  acknowledged %d (duplicates %d), cancelled %d,%s refused %d %s, errors (gave up) %d%n"
                            + "  %.1f ops/s; latency of acknowledged requests ms: p50 %.2f, p99 %.2f, max %.2f%n"
                            + "  longest time without a success %.1f ms; retries %d; primary changes %d%s",
                    runId, threads, durationMs / 1000.0, quantity, acknowledged, duplicates, cancelled,
                    holds == 0 ? "" : String.format(" holds %d (released %d),", holds, released), refused,
                    refusedByCode, errors, opsPerSec, p50, p99, max, maxOutageMs, retries, primaryChanges,
                    lastError == null ? "" : String.format("%n  last error: %s", lastError));
        }

        /** To the microsecond: the document's latencies and rates carry 3 decimals. */
        private static Double round(double d) {
            return Math.round(d * 1000.0) / 1000.0;
        }
    }

    /**
     * The loadgen JSON document ({@code --json FILE}), written by {@link Result#toJson()} and read back by
     * {@link #read(String)}: counts of the run, {@code opsPerSec}, {@code latencyMs} and {@code maxOutageMs} in ms
     * to 3 decimals, {@code lastError} null when nothing gave up. The launcher and {@code ./duplex verify} read it.
     */
    @JsonbNillable
    @JsonbPropertyOrder({"runId", "clientIds", "threads", "quantity", "durationMs", "acknowledged", "cancelled",
            "holds", "released", "duplicates", "errors", "refused", "refusedByCode", "opsPerSec", "latencyMs", "maxOutageMs", "retries",
            "primaryChanges", "lastError"})
    public record Summary(String runId, List<String> clientIds, int threads, int quantity, long durationMs,
                          long acknowledged, long cancelled, long holds, long released, long duplicates, long errors,
                          long refused, Map<String, Long> refusedByCode, Double opsPerSec, Latency latencyMs, Double maxOutageMs,
                          long retries, long primaryChanges, String lastError) {

        /** @throws IllegalArgumentException the text is not a loadgen document */
        public static Summary read(String json) {
            return JsonDocuments.read(json, Summary.class);
        }
    }

    /** Latency of acknowledged requests, ms. */
    @JsonbPropertyOrder({"p50", "p99", "max"})
    public record Latency(Double p50, Double p99, Double max) {
    }

    private final DuplexClient client;
    /** The client for hold placements, with {@link #HOLD_DEADLINE_MS}; null when the run places no holds. */
    private DuplexClient holdClient;

    public LoadGenerator(DuplexClient client) {
        this.client = client;
    }

    /** Reservations only, no history: the load the loadgen JSON contract describes. */
    public Result run(int threads, long durationMs, int quantity) throws DuplexException, InterruptedException {
        return run(new Options(threads, durationMs, quantity, 0, null));
    }

    /**
     * Warms up (reads the binding, lists the resources), then runs the load. Requests still in flight
     * when the duration ends are finished (each is bounded by the client's deadline).
     *
     * @throws DuplexException listing the resources was refused
     * @throws IllegalStateException there is no resource to reserve
     */
    public Result run(Options options) throws DuplexException, InterruptedException {
        if (options.holdPercent() == 0) {
            return runLoad(options);
        }
        try (DuplexClient holds = new DuplexClient(client.config().withDeadlineMs(HOLD_DEADLINE_MS))) {
            holdClient = holds;
            return runLoad(options);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the client for holds could not be made: " + e.getMessage(), e);
        } finally {
            holdClient = null;
        }
    }

    private Result runLoad(Options options) throws DuplexException, InterruptedException {
        client.primary();
        List<ResourceView> resources = client.listResources();
        if (resources.isEmpty()) {
            throw new IllegalStateException("there is no resource to reserve: run the seed command first");
        }
        List<String> resourceIds = resources.stream().map(ResourceView::id).toList();
        String runId = String.format("%08x", ThreadLocalRandom.current().nextInt());
        List<String> clientIds = new ArrayList<>();
        for (int i = 0; i < options.threads(); i++) {
            // ids the configured user may act for (see ClientIds): unqualified for the shared duplex-client
            clientIds.add(ClientIds.of(client.config().user(), "loadgen-" + runId + "-" + i));
        }

        Tally tally = new Tally(runId, System.nanoTime(), options.history());
        long retriesBefore = client.retries();
        long changesBefore = client.primaryChanges();
        long end = tally.start + TimeUnit.MILLISECONDS.toNanos(options.durationMs());
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < options.threads(); i++) {
            int process = i;
            String clientId = clientIds.get(i);
            Thread t = new Thread(() -> work(process, clientId, resourceIds, options, end, tally), "loadgen-" + i);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        long finish = System.nanoTime();

        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(finish - tally.start);
        long acks = tally.acknowledged.sum();
        long writes = acks + tally.cancelled.sum() + tally.holds.sum() + tally.released.sum();
        double opsPerSec = elapsedMs == 0 ? 0 : writes * 1000.0 / elapsedMs;
        Map<String, Long> byCode = new TreeMap<>();
        tally.refusedByCode.forEach((k, v) -> byCode.put(k, v.sum()));
        return new Result(runId, Collections.unmodifiableList(clientIds), options.threads(), options.quantity(), elapsedMs,
                acks, tally.cancelled.sum(), tally.holds.sum(), tally.released.sum(), tally.duplicates.sum(), tally.errors.sum(), tally.refused.sum(), byCode,
                opsPerSec, tally.latency.p50(), tally.latency.p99(), tally.latency.max(),
                tally.outages.maxGapMs(tally.start, end), client.retries() - retriesBefore,
                client.primaryChanges() - changesBefore, tally.lastError.get());
    }

    /** An acknowledged hold of this thread, and what is to become of it (null: left to expire) and when. */
    private record Pending(Hold hold, Type fate, long dueNanos) {
    }

    /**
     * One thread's loop until the end: first a follow-up of its own holds that is due (confirm or release);
     * otherwise cancel one of its own acknowledged reservations, place a hold, or reserve.
     */
    private void work(int process, String clientId, List<String> resourceIds, Options options, long end, Tally tally) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // acknowledged and not yet cancelled (or tried): each is cancelled at most once, under one operation id
        List<ReservationResult> mine = new ArrayList<>();
        // acknowledged holds to confirm or release, each once, due within the first half of the hold's life
        List<Pending> holds = new ArrayList<>();
        long noHoldsUntil = System.nanoTime();
        while (System.nanoTime() < end) {
            Pending due = due(holds);
            if (due != null) {
                Hold h = due.hold();
                String op = UUID.randomUUID().toString();
                Long expiry = h.expiresAt().toEpochMilli();
                if (due.fate() == Type.CONFIRM) {
                    ReservationResult r = tally.attempt(process, Type.CONFIRM, clientId, op, h.resourceId(), h.quantity(),
                            h.id(), expiry, () -> client.confirm(clientId, op, h.id()), Answer::of);
                    if (r != null && options.cancelPercent() > 0) {
                        mine.add(r);
                    }
                } else {
                    tally.attempt(process, Type.RELEASE, clientId, op, h.resourceId(), h.quantity(), h.id(), expiry,
                            () -> client.release(clientId, op, h.id()), Answer::of);
                }
            } else if (!mine.isEmpty() && random.nextInt(MAX_CANCEL_PERCENT) < options.cancelPercent()) {
                int pick = random.nextInt(mine.size());
                ReservationResult target = mine.get(pick);
                mine.set(pick, mine.get(mine.size() - 1));
                mine.remove(mine.size() - 1);
                String op = UUID.randomUUID().toString();
                tally.attempt(process, Type.CANCEL, clientId, op, target.resourceId(), target.quantity(), target.id(), null,
                        () -> client.cancel(clientId, op, target.id()), Answer::of);
            } else if (random.nextInt(MAX_CANCEL_PERCENT) < options.holdPercent() && System.nanoTime() - noHoldsUntil >= 0) {
                String resource = resourceIds.get(random.nextInt(resourceIds.size()));
                String op = UUID.randomUUID().toString();
                Hold h = tally.attempt(process, Type.HOLD, clientId, op, resource, options.quantity(), null, null,
                        () -> holdClient.hold(clientId, op, resource, options.quantity(), options.holdSeconds()), Answer::of);
                if (h == null) {
                    noHoldsUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLD_PAUSE_MS);
                } else {
                    int fate = random.nextInt(100);
                    if (fate < CONFIRM_SHARE + RELEASE_SHARE) {
                        long halfLife = TimeUnit.SECONDS.toNanos(options.holdSeconds()) / 2;
                        holds.add(new Pending(h, fate < CONFIRM_SHARE ? Type.CONFIRM : Type.RELEASE,
                                System.nanoTime() + random.nextLong(halfLife + 1)));
                    }
                }
            } else {
                String resource = resourceIds.get(random.nextInt(resourceIds.size()));
                String op = UUID.randomUUID().toString();
                ReservationResult r = tally.attempt(process, Type.RESERVE, clientId, op, resource, options.quantity(),
                        null, null, () -> client.reserve(clientId, op, resource, options.quantity()), Answer::of);
                if (r != null && options.cancelPercent() > 0) {
                    mine.add(r);
                }
            }
        }
    }

    /** Takes the first follow-up that is due out of the list, or null when none is. */
    private static Pending due(List<Pending> holds) {
        long now = System.nanoTime();
        for (int i = 0; i < holds.size(); i++) {
            if (holds.get(i).dueNanos() - now <= 0) {
                return holds.remove(i);
            }
        }
        return null;
    }

    /** One request of the load through the client library: a reserve, cancel, hold, confirm or release. */
    @FunctionalInterface
    private interface Request<T> {
        T send() throws DuplexException;
    }

    /** What the history records of an acknowledged answer, whichever kind it is. */
    private record Answer(String id, long epoch, String node, boolean duplicate, Long expiresAtMs) {
        static Answer of(ReservationResult r) {
            return new Answer(r.id(), r.epoch(), r.node(), r.duplicate(), null);
        }

        static Answer of(Hold h) {
            return new Answer(h.id(), h.epoch(), h.node(), h.duplicate(), h.expiresAt().toEpochMilli());
        }
    }

    /** What the threads count together, and where each operation is recorded. */
    private static final class Tally {
        final String runId;
        final long start;
        final HistoryFile history;
        final LatencyStats latency = new LatencyStats();
        final OutageTracker outages = new OutageTracker();
        final LongAdder acknowledged = new LongAdder();
        final LongAdder cancelled = new LongAdder();
        final LongAdder holds = new LongAdder();
        final LongAdder released = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder refused = new LongAdder();
        final Map<String, LongAdder> refusedByCode = new ConcurrentHashMap<>();
        final AtomicReference<String> lastError = new AtomicReference<>();

        Tally(String runId, long start, HistoryFile history) {
            this.runId = runId;
            this.start = start;
            this.history = history;
        }

        /**
         * Sends one request, counts and records its outcome; the answer when acknowledged, else null.
         * {@code id} is the reservation or hold acted on (null for a reserve or a hold: the answer's), and
         * {@code expiresAtMs} the hold's expiry for a confirm or release (a hold's comes from its answer).
         */
        <T> T attempt(int process, Type type, String clientId, String op, String resourceId, int quantity,
                      String id, Long expiresAtMs, Request<T> request, Function<T, Answer> answerOf) {
            long wall0 = System.currentTimeMillis();
            long t0 = System.nanoTime();
            T r = null;
            Answer answer = null;
            Outcome outcome;
            String error = null;
            String message = null;
            try {
                r = request.send();
                answer = answerOf.apply(r);
                outcome = Outcome.OK;
                long t1 = System.nanoTime();
                latency.recordNanos(t0, t1);
                outages.success(t1);
                counter(type).increment();
                if (answer.duplicate()) {
                    duplicates.increment();
                }
            } catch (DuplexException e) {
                outcome = Outcome.FAIL;
                error = e.code();
                message = e.getMessage();
                refused.increment();
                refusedByCode.computeIfAbsent(e.code(), k -> new LongAdder()).increment();
            } catch (GaveUpException e) {
                outcome = Outcome.INFO;
                error = "gave-up";
                message = e.getMessage();
                errors.increment();
                lastError.set(e.getMessage());
            } catch (RuntimeException e) {
                // not a failure the client retries through (a bug, or the client closed): counted, and the run goes on
                outcome = Outcome.INFO;
                error = e.getClass().getName();
                message = e.getMessage();
                errors.increment();
                lastError.set(e.toString());
            }
            if (history != null) {
                long t1 = System.nanoTime();
                history.append(new HistoryRecord(runId, process, type, clientId, op, resourceId, quantity,
                        answer != null ? answer.id() : id, outcome, wall0, System.currentTimeMillis(),
                        t0 - start, t1 - start, answer != null ? answer.epoch() : null, answer != null ? answer.node() : null,
                        answer != null ? answer.duplicate() : null, error, message,
                        answer != null && answer.expiresAtMs() != null ? answer.expiresAtMs() : expiresAtMs));
            }
            return r;
        }

        /** The count an acknowledged request of this type adds to. */
        private LongAdder counter(Type type) {
            return switch (type) {
                case RESERVE, CONFIRM -> acknowledged;
                case CANCEL -> cancelled;
                case HOLD -> holds;
                case RELEASE -> released;
            };
        }
    }
}
