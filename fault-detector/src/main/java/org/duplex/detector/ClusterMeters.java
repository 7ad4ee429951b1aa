package org.duplex.detector;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.duplex.health.NodeState;

/**
 * Once a second, the node's state for the readiness check ({@link NodeState}, read at
 * {@code /health/ready}) and, as gauges in the server's Micrometer registry, read at {@code /metrics} on the
 * management port: {@code duplex_primary} (1 on the node that is primary), {@code duplex_epoch},
 * {@code duplex_degraded} (1 while one database lags), {@code duplex_heartbeat_last_round_trip_ms},
 * {@code duplex_journal_depth} (changes waiting for the lagging database) and the detector's settings
 * as applied ({@code duplex_detector_interval_ms}, {@code _timeout_ms}, {@code _misses},
 * {@code duplex_drained}). Counters live where the things happen: {@code duplex_cluster_events_total}
 * and {@code duplex_heartbeat_probes_total} (by outcome) in the {@link FaultDetector}, write outcomes
 * and duplicates in the reservation service.
 *
 * <p>The registry outlives the deployment, so the gauges, which hold this deployment's numbers, are
 * removed when it goes: a redeployment registers fresh ones.
 */
@Singleton
@Startup
@DependsOn("FaultDetector")
public class ClusterMeters {

    private static final Logger LOG = Logger.getLogger(ClusterMeters.class.getName());

    @Inject
    private MeterRegistry registry;

    @EJB
    private FaultDetector detector;

    @EJB
    private ClusterStateStore store;

    private final List<String> registered = new ArrayList<>();
    private final AtomicLong primary = new AtomicLong();
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicLong degraded = new AtomicLong();
    private final AtomicLong roundTripMicros = new AtomicLong(-1);
    private final AtomicLong journalDepth = new AtomicLong();
    private final AtomicLong intervalMs = new AtomicLong();
    private final AtomicLong timeoutMs = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong drained = new AtomicLong();

    @PostConstruct
    void register() {
        String node = System.getProperty("jboss.node.name", "?");
        gauge("duplex.primary", node, primary, 1);
        gauge("duplex.epoch", node, epoch, 1);
        gauge("duplex.degraded", node, degraded, 1);
        // -1 before the first probe
        gauge("duplex.heartbeat.last.round.trip.ms", node, roundTripMicros, 1000);
        // changes in the replication journals, waiting for the lagging database
        gauge("duplex.journal.depth", node, journalDepth, 1);
        // the detector's settings as it applies them (cli-scripts/set-detector.cli, drain.cli change them)
        gauge("duplex.detector.interval.ms", node, intervalMs, 1);
        gauge("duplex.detector.timeout.ms", node, timeoutMs, 1);
        gauge("duplex.detector.misses", node, misses, 1);
        gauge("duplex.drained", node, drained, 1);
        LOG.info(() -> registered.size() + " Duplex gauges registered for /metrics");
    }

    /**
     * Reads the detector and the journals once a second. A scrape reads only these numbers: it never
     * calls into the deployment or a database from the management thread.
     */
    @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
    void refresh() {
        FaultDetector.Heartbeat beat = detector.heartbeat();
        NodeState.publish(new NodeState(beat.node(), beat.role(), beat.primary(), beat.epoch(), beat.mode(), beat.peer()));
        primary.set("primary".equals(beat.role()) ? 1 : 0);
        epoch.set(beat.epoch());
        degraded.set("degraded".equals(beat.mode()) ? 1 : 0);
        roundTripMicros.set(beat.peerRoundTripMicros());
        long depth = 0;
        for (String db : ClusterStateStore.DATABASES) {
            try {
                depth += store.journalDepth(db);
            } catch (SQLException | RuntimeException down) {
                // a database that does not answer holds no journal anyone could replay now
            }
        }
        journalDepth.set(depth);
        DetectorSettings applied = detector.currentSettings();
        intervalMs.set(applied.intervalMs());
        timeoutMs.set(applied.timeoutMs());
        misses.set(applied.misses());
        drained.set(applied.drained() ? 1 : 0);
    }

    /**
     * Through {@code registry.gauge(...)}: WildFly's per-deployment registry hands that call to the server's
     * registry, while a {@code Gauge.builder(...).register(...)} there stays in the deployment's own store,
     * which {@code /metrics} never reads. The state objects are fields, so the registry's weak reference holds.
     */
    private void gauge(String name, String node, AtomicLong value, double divisor) {
        registry.gauge(name, Tags.of("node", node), value, v -> v.get() < 0 ? -1 : v.get() / divisor);
        registered.add(name);
    }

    @PreDestroy
    void unregister() {
        for (String name : registered) {
            registry.find(name).meters().forEach(registry::remove);
        }
        registered.clear();
    }
}
