package org.duplex.web;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.duplex.detector.ClusterEvent;
import org.duplex.detector.ClusterEventLog;
import org.duplex.detector.FaultDetector;

/**
 * The live feed behind {@code GET /duplex/api/events/stream} ({@code text/event-stream}), which the
 * dashboard reads with {@code new EventSource('/duplex/api/events/stream')}.
 *
 * <p>Contract. Two event names, each with one JSON object as its data:
 * <ul>
 * <li>{@code cluster}, about every {@value #PERIOD_MS} ms and once at once on connecting: this node's
 * view, {@code {"node", "role" ("primary"|"backup"|"unknown"), "primary", "epoch", "mode" ("sync"|"degraded"),
 * "lagging" (database name or null), "peer" ("up"|"down"|"hung"|"unhealthy"|"unknown"),
 * "peerRoundTripMs" (the detector's last heartbeat probe of the other node, null before one),
 * "journalDepth" (entries waiting for the lagging database, 0 in sync; null on a backup),
 * "lastPromotionFailure", "lastCatchUp", "at" (ISO-8601)}}. It comes from the detector's memory, so it is
 * sent even while the databases do not answer.</li>
 * <li>{@code cluster-event}, once for each new {@code cluster_event} row of either database as it
 * appears (polled every {@value #PERIOD_MS} ms), SSE id = the event's id: {@code {"id", "at", "node",
 * "kind", "epoch", "detail"}}, as {@code GET /duplex/api/events} lists them. Events recorded before the
 * stream was opened are not replayed: read {@code GET /duplex/api/events} for the history.</li>
 * </ul>
 *
 * <p>Resources: one broadcaster and one periodic task, shared by every open stream, whatever their
 * number; the task runs on the container's managed scheduler and does no work while nobody listens.
 * On undeploy or shutdown (the web context stopping, or the detector found stopping, whichever comes
 * first) the task is cancelled and every stream is closed, so clients see the stream end (an {@code EventSource} then reconnects to whichever node serves). Not guaranteed: that a
 * client sees every {@code cluster} snapshot (a slow client holds the shared writer up), or an event
 * committed more than {@value #LATE_COMMIT_S} s after its {@code at}.
 */
@ApplicationScoped
public class ClusterStream {

    private static final Logger LOG = Logger.getLogger(ClusterStream.class.getName());
    static final long PERIOD_MS = 500;
    /** How far back each poll looks, for events whose transaction committed after later ones. */
    static final long LATE_COMMIT_S = 10;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    @EJB
    private FaultDetector detector;

    @EJB
    private ClusterEventLog log;

    private final AtomicInteger open = new AtomicInteger();
    /** Ids of the events already sent, with their time: pruned past the look-back window. */
    private final Map<String, Instant> sent = new HashMap<>();
    private Sse sse;
    private SseBroadcaster broadcaster;
    private ScheduledFuture<?> ticking;
    private boolean closed;

    /** Adds one client's stream; the first one starts the shared task. */
    synchronized void subscribe(SseEventSink sink, Sse context) {
        if (closed) {
            sink.close();
            return;
        }
        if (broadcaster == null) {
            sse = context;
            broadcaster = sse.newBroadcaster();
            broadcaster.onClose(s -> open.updateAndGet(n -> Math.max(0, n - 1)));
            broadcaster.onError((s, e) -> {
                // a client that went away: the broadcaster drops its sink
                LOG.fine(() -> "event stream closed by its client: " + e);
            });
            markSent(log.since(Instant.now().minusSeconds(LATE_COMMIT_S), 1000));
            ticking = scheduler.scheduleAtFixedRate(this::tick, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
        }
        open.incrementAndGet();
        broadcaster.register(sink);
        sink.send(clusterEvent());
    }

    /** Runs on the scheduler: one snapshot for everybody, then the new events. Never throws. */
    void tick() {
        try {
            if (open.get() <= 0) {
                return;
            }
            OutboundSseEvent snapshot;
            try {
                snapshot = clusterEvent();
            } catch (RuntimeException e) {
                // the detector answers from memory: failing means it is stopping (undeploy, shutdown).
                // End the streams now: an open request would hold the undeploy up (seen: 5 minutes)
                LOG.info(() -> "fault detector unavailable, ending the event streams: " + e);
                close();
                return;
            }
            broadcast(snapshot);
            List<ClusterEvent> fresh = freshEvents();
            for (ClusterEvent e : fresh) {
                broadcast(sse.newEventBuilder().name("cluster-event").id(e.id())
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, eventJson(e)).build());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event stream round failed", e);
        }
    }

    private synchronized void broadcast(OutboundSseEvent event) {
        if (broadcaster != null && !closed) {
            broadcaster.broadcast(event);
        }
    }

    private synchronized List<ClusterEvent> freshEvents() {
        Instant now = Instant.now();
        List<ClusterEvent> fresh = log.since(now.minusSeconds(LATE_COMMIT_S), 1000).stream()
                .filter(e -> !sent.containsKey(e.id()))
                .sorted(Comparator.comparing(ClusterEvent::at).thenComparing(ClusterEvent::id))
                .toList();
        markSent(fresh);
        sent.values().removeIf(at -> at.isBefore(now.minusSeconds(2 * LATE_COMMIT_S)));
        return fresh;
    }

    private void markSent(List<ClusterEvent> events) {
        events.forEach(e -> sent.put(e.id(), e.at()));
    }

    private OutboundSseEvent clusterEvent() {
        FaultDetector.Heartbeat b = detector.heartbeat();
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("node", b.node())
                .add("role", b.role())
                .add("epoch", b.epoch());
        text(json, "primary", b.primary());
        text(json, "mode", b.mode());
        text(json, "lagging", b.lagging());
        text(json, "peer", b.peer());
        if (b.peerRoundTripMs() >= 0) {
            json.add("peerRoundTripMs", b.peerRoundTripMs());
        } else {
            json.addNull("peerRoundTripMs");
        }
        if (b.journalDepth() >= 0) {
            json.add("journalDepth", b.journalDepth());
        } else {
            json.addNull("journalDepth");
        }
        text(json, "lastPromotionFailure", b.lastPromotionFailure());
        text(json, "lastCatchUp", b.lastCatchUp());
        json.add("at", Instant.now().toString());
        return sse.newEventBuilder().name("cluster").mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(String.class, json.build().toString()).build();
    }

    private static String eventJson(ClusterEvent e) {
        return Json.createObjectBuilder().add("id", e.id()).add("at", e.at().toString()).add("node", e.node())
                .add("kind", e.kind()).add("epoch", e.epoch()).add("detail", e.detail()).build().toString();
    }

    private static void text(JsonObjectBuilder json, String name, String value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, value);
        }
    }

    /**
     * Undeploy or shutdown: no more rounds, and every client's stream is ended. Called as the web
     * context stops ({@link EventStreamShutdown}), when the detector is found stopping, and by CDI.
     */
    @PreDestroy
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ticking != null) {
            ticking.cancel(false);
        }
        if (broadcaster != null) {
            broadcaster.close();
        }
    }
}
