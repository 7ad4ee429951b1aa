package org.duplex.detector;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.NamingException;
import org.duplex.reservation.api.PrimaryBinding;
import org.duplex.reservation.replication.FencedSignal;
import org.duplex.reservation.replication.EpochState;
import org.duplex.reservation.replication.Quorum;
import org.duplex.reservation.replication.ReplicationHint;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import java.util.ArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * The fault detector and replication manager of one node.
 *
 * <p>Every {@code duplex.detector.interval.ms} it reads {@code cluster_state} (its own database first),
 * takes the role the databases give it, and makes its {@code reservation/primary} binding say the
 * same. As backup it heartbeats the primary: a refused connection confirmed by one more probe means a
 * crashed primary, {@code duplex.detector.misses} timed-out heartbeats a hung one; either way it
 * promotes itself. As the preferred primary, back as a healthy backup, it takes control back when the
 * failback policy is {@code auto}.
 *
 * <p>Promotion: end the old primary's database sessions, finish the branches it left prepared, then
 * compare-and-set the epoch in the databases that are in sync in one XA transaction, then rebind.
 * Safety does not rest on this bean being right about liveness: every write checks the epoch in the
 * databases it writes, inside its own transaction, so a node that lost the primary role can not
 * commit, whatever it believes. What this bean does not do: promote in sync mode without both databases (a
 * partition in which each node sees only its own database stops writes instead of making two primaries).
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class FaultDetector {

    private static final Logger LOG = Logger.getLogger(FaultDetector.class.getName());
    /** How long a compare-and-set waits for writes in flight before it tries again. */
    private static final long CAS_LOCK_TIMEOUT_MS = 1000;
    /**
     * How long a switch to degraded mode waits for the epoch lock: longer than a database call's socket
     * deadline (2 s), since the writes holding it shared are stuck on the database that went silent.
     */
    private static final long DEGRADE_LOCK_TIMEOUT_MS = 3000;
    /**
     * How much longer a backup waits on a primary that answers "unhealthy" than on one that does not
     * answer: two silent rounds and a degrade's lock wait, the time a primary needs to go on without a
     * silent database.
     */
    private static final long UNHEALTHY_GRACE_MS = 6000;

    @EJB
    private ClusterStateStore store;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    /** Reads the three stores side by side, so that a hung one never delays the others. */
    @Resource
    private ManagedExecutorService readers;

    /** The server's Micrometer registry: event counts and heartbeat round trips, read at /metrics. */
    @Inject
    private MeterRegistry registry;

    private final HeartbeatProbe probe = new HeartbeatProbe();
    private final PrimaryBindingWriter bindings = new PrimaryBindingWriter();
    private final Object tickLock = new Object();
    private final long startedAt = System.currentTimeMillis();

    private volatile DetectorSettings settings;
    private volatile EpochState state;
    private volatile String role = "unknown";
    private volatile long lastRoundTripMicros = -1;
    /** Entries waiting in the journal for the lagging database, as the primary last counted them; -1 unknown. */
    private volatile long journalDepth = -1;
    private volatile String peerStatus = "unknown";
    private volatile String lastBound;
    private volatile String lastPromotionFailure;
    private volatile String lastCatchUp;
    private volatile ScheduledFuture<?> ticking;
    private volatile long tickingEveryMs;
    private final java.util.concurrent.atomic.AtomicBoolean extraRoundQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile long lastExtraRound;
    /** When this detector last completed a round with a majority of the stores (System.nanoTime), 0 never. */
    private volatile long lastRoundWithStores;
    /** When this node, as primary, last ticked its write majority (System.nanoTime), 0 never. */
    private volatile long lastTickOk;
    /** Why the stores could not be read as one current state, null when they could. */
    private volatile String storeTrouble;
    /** A round failed with something unexpected: the node reports itself unhealthy until a round succeeds. */
    private volatile String roundFailure;
    /** The stores that answered the last read, in lock order: what a change of state may lock. */
    private volatile List<String> answered = List.of();
    /** The read of each store still running (a hung store): not read again until it returns. */
    private final Map<String, Future<ClusterStateStore.StoreRead>> reading = new java.util.concurrent.ConcurrentHashMap<>();

    // touched only under tickLock
    /** The highest state this node has seen: a majority showing less is a divergence. */
    private EpochState highestSeen;
    /** The primary's liveness tick as last read from a majority, and when it last moved (System.nanoTime). */
    private long seenTickEpoch = -1;
    private long seenTick = -1;
    private long tickMovedAt;
    private int misses;
    /** Rounds in a row each store did not answer. */
    private final Map<String, Integer> silentRounds = new java.util.HashMap<>();
    private boolean seenPrimaryAlive;
    /** A primary-down event was recorded and no primary-up since. */
    private boolean primaryReportedDown;
    private boolean warmedUp;
    private long healthyBackupSince;
    private boolean drained;
    private String refusedSettings;
    private long lastHandOffRequest;

    @PostConstruct
    void start() {
        settings = DetectorSettings.fromSystemProperties();
        synchronized (tickLock) {
            // before the node serves: take the role the databases give and bind what they say
            reconcile();
        }
        schedule(settings.intervalMs());
        FencedSignal.listen(this::roundSoon);
        EpochState started = state;
        event("node-up", started == null ? 0 : started.epoch(), settings.node() + " started as " + role);
        LOG.info(() -> settings.node() + " fault detector started as " + role + ": heartbeat every "
                + settings.intervalMs() + " ms, timeout " + settings.timeoutMs() + " ms, " + settings.misses()
                + " misses, failback " + settings.failback().name().toLowerCase());
    }

    @PreDestroy
    void stop() {
        ScheduledFuture<?> t = ticking;
        if (t != null) {
            t.cancel(false);
        }
        FencedSignal.clear();
        EpochState last = state;
        // an orderly stop (undeploy, shutdown): a kill -9 records nothing, the peer's detector does
        event("node-down", last == null ? 0 : last.epoch(), settings.node() + " stopped (it was " + role + ")");
        bindings.close();
    }

    private void schedule(long intervalMs) {
        ScheduledFuture<?> old = ticking;
        if (old != null) {
            old.cancel(false);
        }
        tickingEveryMs = intervalMs;
        ticking = scheduler.scheduleAtFixedRate(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * A write found this node demoted before its round did (see {@link FencedSignal}): one extra round
     * now, at most one queued and at most every 50 ms however many writes are refused.
     */
    private void roundSoon() {
        long now = System.nanoTime();
        if (extraRoundQueued.get() || now - lastExtraRound < TimeUnit.MILLISECONDS.toNanos(50)
                || !extraRoundQueued.compareAndSet(false, true)) {
            return;
        }
        lastExtraRound = now;
        scheduler.execute(() -> {
            extraRoundQueued.set(false);
            tick();
        });
    }

    /** One round: read the state, reconcile, watch the peer. Never throws: the schedule must go on. */
    void tick() {
        try {
            synchronized (tickLock) {
                try {
                    settings = DetectorSettings.fromSystemProperties();
                    refusedSettings = null;
                } catch (IllegalArgumentException e) {
                    // said once per bad value, not every round while it stays
                    if (!e.getMessage().equals(refusedSettings)) {
                        refusedSettings = e.getMessage();
                        LOG.warning("detector settings refused, keeping the previous ones: " + e.getMessage());
                    }
                }
                if (settings.intervalMs() != tickingEveryMs) {
                    schedule(settings.intervalMs());
                }
                if (!reconcile()) {
                    return;
                }
                roundFailure = null;
                noticeDrain();
                warmUpOnce();
                if ("backup".equals(role)) {
                    watchPrimary();
                } else {
                    tickLiveness();
                    watchBackup();
                    watchReplication();
                }
            }
        } catch (Throwable e) {
            // an escaping throwable would cancel the schedule: the detector would stop without a word.
            // Instead the node says it is unhealthy (heartbeat 503) until a round completes again.
            roundFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.log(Level.WARNING, "fault detector round failed", e);
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
        }
    }

    /**
     * Reads the cluster state and makes role and binding agree with it; an admin's rebind of the
     * binding to the other node is taken as a request for a switchover.
     *
     * @return false when no database could be read
     */
    private boolean reconcile() {
        EpochState read = readState();
        if (read == null) {
            if ("primary".equals(role)) {
                lastTickOk = 0;
            }
            return false;
        }
        lastRoundWithStores = System.nanoTime();
        EpochState before = state;
        state = read;
        String newRole = read.primary().equals(settings.node()) ? "primary" : "backup";
        if (!newRole.equals(role)) {
            String was = role;
            role = newRole;
            misses = 0;
            primaryReportedDown = false;
            healthyBackupSince = 0;
            // a new primary ticks on its next round; until then it is not "without a tick"
            lastTickOk = "primary".equals(newRole) ? System.nanoTime() : 0;
            LOG.info(() -> settings.node() + " is now " + newRole + " (was " + was + "): primary " + read.primary()
                    + " at epoch " + read.epoch());
            if ("primary".equals(was) && before != null) {
                event("fenced", read.epoch(), settings.node() + " lost the primary role to " + read.primary()
                        + " at epoch " + read.epoch() + " and stepped down to backup");
            }
        }
        PrimaryBinding expected = new PrimaryBinding(read.primary(), settings.remoteUrl(read.primary()), read.epoch());
        String bound = readBinding();
        if (bound != null && lastBound != null && !bound.equals(lastBound) && !bound.equals(expected.format())) {
            adminRequest(bound, read);
        }
        if (bound == null || !bound.equals(expected.format())) {
            try {
                bindings.rebind(expected);
                LOG.info(() -> settings.node() + " bound " + PrimaryBinding.REMOTE_NAME + " to '" + expected.format() + "'");
            } catch (java.io.IOException e) {
                // while the server boots its management API refuses operations: the next round binds
                Level level = String.valueOf(e.getMessage()).contains("WFLYCTL0379") ? Level.FINE : Level.WARNING;
                LOG.log(level, settings.node() + " could not rebind " + PrimaryBinding.REMOTE_NAME + ": " + e.getMessage());
                return true;
            }
        }
        lastBound = expected.format();
        return true;
    }

    /** An admin rebound reservation/primary (jboss-cli): a request to hand control to the node it names. */
    private void adminRequest(String bound, EpochState current) {
        PrimaryBinding requested;
        try {
            requested = PrimaryBinding.parse(bound);
        } catch (IllegalArgumentException e) {
            LOG.warning("ignoring a rebind of " + PrimaryBinding.REMOTE_NAME + " that does not parse: " + e.getMessage());
            return;
        }
        if (requested.node().equals(current.primary()) || !settings.nodes().containsKey(requested.node())) {
            return;
        }
        LOG.info(() -> "an admin rebound " + PrimaryBinding.REMOTE_NAME + " to " + requested.node()
                + ": switching over");
        if (requested.node().equals(settings.node())) {
            switchTo(current, "switchover", "requested by an admin's rebind of " + PrimaryBinding.REMOTE_NAME);
        } else {
            SwitchoverRequest.send(settings.httpBase(requested.node()), settings.timeoutMs() * 10);
        }
    }

    private void watchPrimary() {
        EpochState current = state;
        HeartbeatProbe.Result beat = probe.probe(settings.httpBase(current.primary()), settings.timeoutMs());
        probed(beat);
        switch (beat.outcome()) {
            case ALIVE -> {
                if (misses > 0) {
                    LOG.info(() -> "primary " + current.primary() + " answers again after " + misses + " missed heartbeat(s)");
                }
                if (primaryReportedDown) {
                    primaryReportedDown = false;
                    event("primary-up", current.epoch(), "primary " + current.primary() + " answers heartbeats again");
                }
                misses = 0;
                seenPrimaryAlive = true;
                peerStatus = "up";
                maybeFailback(current);
            }
            case REFUSED -> {
                // a crashed process: one more probe to be sure, then take over at once
                HeartbeatProbe.Result again = probe.probe(settings.httpBase(current.primary()), settings.timeoutMs());
                if (again.outcome() == HeartbeatProbe.Outcome.REFUSED) {
                    if (!primaryReportedDown && mayPromote()) {
                        primaryReportedDown = true;
                        event("primary-down", current.epoch(), "primary " + current.primary()
                                + " refused connections twice: its process is gone");
                    }
                    peerStatus = "down";
                    healthyBackupSince = 0;
                    // a refused connection is a process gone, not a cut link (a partition drops packets): no
                    // wait for the tick, which a dead process can not move anyway
                    if (mayPromote()) {
                        promote(current, "primary " + current.primary() + " refused connections twice ("
                                + again.body() + ")");
                    }
                }
            }
            case TIMEOUT, UNHEALTHY -> {
                misses++;
                healthyBackupSince = 0;
                String now = beat.outcome() == HeartbeatProbe.Outcome.TIMEOUT ? "hung" : "unhealthy";
                if (misses >= settings.misses() && !primaryReportedDown && mayPromote()) {
                    primaryReportedDown = true;
                    event("primary-down", current.epoch(), "primary " + current.primary() + " is " + now + ": "
                            + misses + " heartbeats missed (" + beat.body() + ")");
                }
                peerStatus = now;
                if (misses >= settings.misses() && mayPromote()) {
                    // a primary that still writes its majority is alive, whatever its heartbeat says (a cut
                    // link between the two nodes alone): promote only once its tick has stopped too. Both
                    // rounds stretch by up to a heartbeat timeout while the link is cut (the probe waits it
                    // out), so a tick seen still for less than that is no verdict. A primary that answers
                    // but says it is unhealthy is alive and may be about to degrade around a silent
                    // database: it gets the few rounds that takes before it is replaced.
                    long stillMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - tickMovedAt);
                    long verdictMs = (long) settings.misses() * settings.intervalMs() + 2L * settings.timeoutMs()
                            + (beat.outcome() == HeartbeatProbe.Outcome.UNHEALTHY ? UNHEALTHY_GRACE_MS : 0);
                    if (stillMs < verdictMs) {
                        peerStatus = now + ", still writing";
                        return;
                    }
                    promote(current, "primary " + current.primary() + " missed " + misses + " heartbeats ("
                            + beat.body() + ") and its liveness tick has not moved for " + stillMs + " ms");
                }
            }
        }
    }

    /** Before this node may have to take over: its first XA commit, done once, while nothing waits on it. */
    private void warmUpOnce() {
        if (warmedUp) {
            return;
        }
        try {
            long t0 = System.nanoTime();
            store.warmUp(settings.node());
            warmedUp = true;
            LOG.info(() -> settings.node() + " warmed up its XA path in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (SQLException | RuntimeException e) {
            LOG.fine(() -> "warm-up not done yet: " + e.getMessage());
        }
    }

    /** A backup that never saw the primary alive waits out the startup grace: both nodes may be booting. */
    private boolean mayPromote() {
        return seenPrimaryAlive || System.currentTimeMillis() - startedAt > settings.startupGraceMs();
    }

    private void watchBackup() {
        HeartbeatProbe.Result beat = probe.probe(settings.httpBase(settings.peer()), settings.timeoutMs());
        probed(beat);
        String now = beat.outcome() == HeartbeatProbe.Outcome.ALIVE ? "up" : "down";
        if (!now.equals(peerStatus) && !"unknown".equals(peerStatus)) {
            event("backup-" + now, state.epoch(), "backup " + settings.peer() + " is " + now);
        }
        peerStatus = now;
        if (settings.drained() && "up".equals(now)) {
            handOff();
        }
    }

    /**
     * A drained primary asks its peer to take control, at most every two seconds until it has: the
     * peer's switchover waits for the writes in flight here, then moves the epoch.
     */
    private void handOff() {
        long nowMs = System.currentTimeMillis();
        if (nowMs - lastHandOffRequest < 2_000) {
            return;
        }
        lastHandOffRequest = nowMs;
        LOG.info(() -> settings.node() + " is drained: asking " + settings.peer() + " to take control");
        SwitchoverRequest.send(settings.httpBase(settings.peer()), settings.timeoutMs() * 10);
    }

    /** Records the moment an admin drains this node, or puts it back into rotation. */
    private void noticeDrain() {
        if (settings.drained() != drained) {
            drained = settings.drained();
            event(drained ? "drained" : "undrained", state == null ? 0 : state.epoch(), settings.node()
                    + (drained ? " drained for maintenance: it hands over and takes no control"
                    : " back in rotation"));
        }
    }

    /**
     * The primary's watch over the two databases: under policy nofail, a database that stops
     * answering makes the cluster degraded (writes go on to the other one, journaled); once it answers
     * again, the journal is replayed into it while writes go on, and the last entries are applied with
     * writes held back for a moment, at the switch back to sync. Under strict, nothing: writes are
     * refused while a database is down, and flow again when it is back.
     */
    private void watchReplication() {
        EpochState current = state;
        if (!current.degraded()) {
            journalDepth = 0;
            if (settings.policy() != DetectorSettings.Policy.NOFAIL) {
                return;
            }
            // a data database that did not answer this round's read (down, hung, cut off): degrade onto
            // the other one and the witness, which must both answer (a majority with the new write majority)
            for (String db : ClusterStateStore.DATABASES) {
                // two rounds in a row: one slow read on a starved machine is not a database down
                if (!answered.contains(db) && silentRounds.getOrDefault(db, 0) >= 2) {
                    String other = ClusterStateStore.DATABASES.stream().filter(d -> !d.equals(db)).findFirst().orElseThrow();
                    if (!answered.contains(other) || !answered.contains(Quorum.WITNESS)) {
                        return;
                    }
                    try {
                        EpochState next = store.degrade(current, db, settings.node(), List.of(other, Quorum.WITNESS),
                                db + " does not answer; writes go to " + other + " and the witness, journaled in "
                                        + other + " (policy nofail)", DEGRADE_LOCK_TIMEOUT_MS);
                        count("duplex.cluster.events", "kind", "degraded");
                        LOG.warning(() -> "DEGRADED at epoch " + next.epoch() + ": " + db + " is down, writing to " + other
                                + " and the witness");
                        reconcile();
                    } catch (SQLException | StaleEpochException | RuntimeException e) {
                        LOG.warning("could not switch to degraded mode: " + rootMessage(e));
                    }
                    return;
                }
            }
            return;
        }
        String lagging = current.lagging();
        String source = current.dataDatabases().get(0);
        try {
            countJournal(source);
        } catch (SQLException | RuntimeException e) {
            LOG.fine(() -> "journal of " + source + " not counted: " + e.getMessage());
        }
        if (!answered.contains(lagging) || !answered.contains(source)) {
            return;
        }
        try {
            long t0 = System.nanoTime();
            long replayed = 0;
            int batch;
            // bounded: a round replays at most this much, then lets the detector look around again
            do {
                batch = store.replayBatch(current, settings.node(), 500);
                replayed += batch;
            } while (batch > 0 && replayed < 50_000 && countJournal(source) > 500);
            if (countJournal(source) > 500) {
                return;
            }
            EpochState next = store.resync(current, settings.node(), answered, CAS_LOCK_TIMEOUT_MS);
            count("duplex.cluster.events", "kind", "resynced");
            long ms = Math.max(1, (System.nanoTime() - t0) / 1_000_000);
            long rows = replayed;
            lastCatchUp = rows + " journal entries replayed into " + lagging + " in " + ms + " ms ("
                    + (rows * 1000 / ms) + " entries/s)";
            LOG.warning(() -> "RESYNCED at epoch " + next.epoch() + ": " + lastCatchUp + "; back to XA on both databases");
            reconcile();
        } catch (SQLException | StaleEpochException | RuntimeException e) {
            LOG.info("catch-up of " + lagging + " not finished yet: " + rootMessage(e));
        }
    }

    /**
     * The primary's liveness tick, every round: one fenced XA write to its write majority. A primary that
     * cannot make it reports no recent tick in its heartbeat, so the backup may replace it even though
     * it still answers; a refusal by the fence (demoted meanwhile) makes it look again at once.
     */
    private void tickLiveness() {
        EpochState current = state;
        if (!answered.containsAll(current.writeMajority())) {
            // a store of the write majority is silent: the tick would wait out its socket deadline and
            // hold the round up; the round goes on to degrade instead (and the heartbeat says no tick)
            return;
        }
        try {
            store.tick(current, settings.node());
            lastTickOk = System.nanoTime();
        } catch (StaleEpochException e) {
            LOG.info(() -> "liveness tick refused, looking again: " + e.getMessage());
            roundSoon();
        } catch (SQLException | RuntimeException e) {
            LOG.fine(() -> "liveness tick failed: " + rootMessage(e));
        }
    }

    /** Counts the journal for the heartbeat (and the dashboard) while it is read for the catch-up anyway. */
    private long countJournal(String source) throws SQLException {
        journalDepth = -1;
        long depth = store.journalDepth(source);
        journalDepth = depth;
        return depth;
    }

    private void maybeFailback(EpochState current) {
        if (settings.failback() != DetectorSettings.Failback.AUTO || !settings.node().equals(settings.preferredPrimary())) {
            return;
        }
        // healthy means serving: the node answers on its own service path (not while it still boots,
        // suspended, with the deployment up but the server not yet resumed)
        if (probe.probe(settings.httpBase(settings.node()), settings.timeoutMs()).outcome() != HeartbeatProbe.Outcome.ALIVE) {
            healthyBackupSince = 0;
            return;
        }
        long now = System.currentTimeMillis();
        if (healthyBackupSince == 0) {
            healthyBackupSince = now;
            return;
        }
        if (now - healthyBackupSince >= settings.failbackDelayMs()) {
            switchTo(current, "failback", settings.node() + " has been a healthy backup for "
                    + (now - healthyBackupSince) + " ms (failback auto)");
        }
    }

    /**
     * Takes over after a failure. The old primary's sessions are ended first so that its open
     * transactions roll back and release their locks; then the branches it left prepared are finished
     * (they hold the epoch lock the compare-and-set needs), then the epoch moves.
     */
    private void promote(EpochState current, String why) {
        if (settings.drained()) {
            lastPromotionFailure = settings.node() + " is drained (duplex.drain=true): not taking over although " + why;
            LOG.warning(lastPromotionFailure);
            return;
        }
        long t0 = System.nanoTime();
        String old = current.primary();
        List<String> stores = answered;
        for (String db : stores) {
            try {
                int ended = store.endSessionsOf(db, old);
                if (ended > 0) {
                    LOG.info("ended " + ended + " session(s) of " + old + " in " + db);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warning("could not end the sessions of " + old + " in " + db + ": " + e.getMessage());
            }
        }
        // with its sessions ended, the old primary can no longer prepare a branch: what is prepared now
        // is all there will be, and its outcome can be read off the markers (see InDoubtResolution)
        String cutOff = unreachableDataDatabase(current, stores);
        finishInDoubt(old, stores, cutOff);
        try {
            EpochState next = cutOff == null
                    ? store.changePrimary(current, settings.node(), settings.node(), stores, "failover", why, CAS_LOCK_TIMEOUT_MS)
                    : store.takeOverDegraded(current, settings.node(), cutOff, stores, why + "; " + cutOff
                            + " does not answer here: degraded onto the other data database and the witness (policy nofail)",
                            DEGRADE_LOCK_TIMEOUT_MS);
            count("duplex.cluster.events", "kind", "failover");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            LOG.warning(() -> settings.node() + " PROMOTED to primary at epoch " + next.epoch() + " in " + ms + " ms: " + why);
            misses = 0;
            lastPromotionFailure = null;
            reconcile();
        } catch (StaleEpochException e) {
            lastPromotionFailure = e.getMessage();
            LOG.info("promotion not made: " + e.getMessage());
            reconcile();
        } catch (SQLException | RuntimeException e) {
            // nothing was written (the change is one XA transaction): the next round tries again
            lastPromotionFailure = rootMessage(e);
            LOG.warning(settings.node() + " could not promote itself: " + lastPromotionFailure);
        }
    }

    /**
     * In sync mode under policy nofail, the data database this node cannot reach while it reaches the
     * other one and the witness: a takeover then names it lagging (a majority with the new write
     * majority locked). Null when both answer, or when that is not possible or allowed.
     */
    private String unreachableDataDatabase(EpochState current, List<String> stores) {
        if (current.degraded() || settings.policy() != DetectorSettings.Policy.NOFAIL || !stores.contains(Quorum.WITNESS)) {
            return null;
        }
        List<String> silent = ClusterStateStore.DATABASES.stream().filter(db -> !stores.contains(db)).toList();
        return silent.size() == 1 ? silent.get(0) : null;
    }

    /** Planned change of primary to this node: writes in flight finish first (the compare-and-set waits for them). */
    private void switchTo(EpochState current, String kind, String why) {
        if (current.primary().equals(settings.node()) || settings.drained()) {
            return;
        }
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                EpochState next = store.changePrimary(current, settings.node(), settings.node(), answered, kind, why,
                        CAS_LOCK_TIMEOUT_MS);
                count("duplex.cluster.events", "kind", kind);
                LOG.warning(() -> settings.node() + " took control (" + kind + ") at epoch " + next.epoch() + ": " + why);
                reconcile();
                return;
            } catch (StaleEpochException e) {
                LOG.info(kind + " not needed: " + e.getMessage());
                reconcile();
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.info(kind + " attempt " + attempt + " failed: " + rootMessage(e));
            }
        }
    }

    /**
     * @param toBeLagging the data database the takeover that follows will name lagging, or null: a lone
     *                    branch whose only unread sibling is there is committed (DESIGN.md's in-doubt rule)
     */
    private void finishInDoubt(String deadNode, List<String> stores, String toBeLagging) {
        try {
            Map<String, List<String>> prepared = new LinkedHashMap<>();
            for (String db : stores) {
                prepared.put(db, store.preparedGids(db));
            }
            for (InDoubtResolution.Action a : InDoubtResolution.plan(prepared, deadNode, Quorum.STORES.size(),
                    toBeLagging, store::committed)) {
                try {
                    store.finishPrepared(a.database(), a.gid(), a.commit());
                    LOG.warning((a.commit() ? "committed" : "rolled back") + " in-doubt branch of " + deadNode + " in "
                            + a.database() + " (" + a.reason() + "): " + a.gid());
                } catch (SQLException | RuntimeException e) {
                    // finished meanwhile by its own node's recovery, or the database went away: planned again next round
                    LOG.warning("could not finish in-doubt branch " + a.gid() + " in " + a.database() + ": " + rootMessage(e));
                }
            }
        } catch (Exception e) {
            LOG.warning("could not finish the in-doubt branches of " + deadNode + ": " + rootMessage(e));
        }
    }

    /** Planned handover to this node, asked for by an admin (REST, ./duplex switchover, or a rebind). */
    public String switchover() {
        synchronized (tickLock) {
            reconcile();
            EpochState current = state;
            if (current == null) {
                return "no database readable: cannot switch over";
            }
            if (current.primary().equals(settings.node())) {
                return settings.node() + " is already primary at epoch " + current.epoch();
            }
            if (settings.drained()) {
                return settings.node() + " is drained (duplex.drain=true) and takes no control; primary "
                        + current.primary() + " at epoch " + current.epoch();
            }
            switchTo(current, "switchover", "requested by an admin");
            return settings.node() + " is " + role + " at epoch " + state.epoch();
        }
    }

    /** The settings the detector works with now (read again from system properties every round). */
    public DetectorSettings currentSettings() {
        return settings;
    }

    /** What the heartbeat endpoint answers: cheap, no database, no lock shared with the detector round. */
    public Heartbeat heartbeat() {
        EpochState s = state;
        boolean primary = "primary".equals(role);
        long depth = primary ? journalDepth : -1;
        long now = System.nanoTime();
        long roundAge = lastRoundWithStores == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(now - lastRoundWithStores);
        long tickAge = !primary || lastTickOk == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(now - lastTickOk);
        DetectorSettings applied = settings;
        long stale = (long) applied.misses() * applied.intervalMs() + 1000;
        String unhealthy = roundFailure != null ? "detector round failed: " + roundFailure
                : roundAge < 0 || roundAge > stale ? "no round completed with a majority of the stores for "
                        + (roundAge < 0 ? "ever" : roundAge + " ms") + (storeTrouble == null ? "" : " (" + storeTrouble + ")")
                : primary && (tickAge < 0 || tickAge > stale) ? "primary without a liveness tick for "
                        + (tickAge < 0 ? "ever" : tickAge + " ms")
                : null;
        return new Heartbeat(settings.node(), role, s == null ? 0 : s.epoch(), s == null ? null : s.primary(),
                s == null ? null : s.mode(), s == null ? null : s.lagging(), peerStatus, lastRoundTripMicros,
                lastRoundTripMicros < 0 ? -1 : lastRoundTripMicros / 1000.0, depth, lastPromotionFailure, lastCatchUp,
                roundAge, tickAge, unhealthy == null, unhealthy);
    }

    /**
     * This node's view, for the other detector, the REST API and the dashboard.
     *
     * @param peer                 the other node as this one's detector last saw it: {@code up}, {@code down},
     *                             {@code hung}, {@code unhealthy}, or {@code unknown} before the first probe
     * @param peerRoundTripMicros  the round trip of this detector's last heartbeat probe of the peer, -1 before one
     * @param peerRoundTripMs      the same in milliseconds, -1 before one
     * @param journalDepth         entries waiting in the journal for a lagging database (0 in sync mode), as the
     *                             primary last counted them; -1 on a backup or when unknown
     * @param lastPromotionFailure why the last attempt to promote this node failed, null if it did not
     * @param lastCatchUp what the last catch-up of a lagging database replayed, and how fast
     * @param storesReadAgoMs      ms since this detector last completed a round with a majority of the epoch
     *                             stores, -1 never
     * @param tickAgoMs            ms since this node, as primary, last made its liveness tick; -1 on a backup
     *                             or before the first
     * @param healthy              the detector runs, reads a majority, and (as primary) ticks: the heartbeat
     *                             answers 503 otherwise, and the peer counts a miss
     * @param unhealthyReason      why not healthy, null when healthy
     */
    public record Heartbeat(String node, String role, long epoch, String primary, String mode, String lagging,
                            String peer, long peerRoundTripMicros, double peerRoundTripMs, long journalDepth,
                            String lastPromotionFailure, String lastCatchUp, long storesReadAgoMs, long tickAgoMs,
                            boolean healthy, String unhealthyReason) {
    }

    /**
     * The current state (DESIGN.md, "Three epoch stores, majority quorums"): the three stores are read
     * side by side, each within the round's deadline, and {@link Quorum#current} judges what answered.
     * Also follows the primary's liveness tick (the highest of the stores that answered) and when it
     * last moved.
     *
     * @return the current state, or null when fewer than two stores answered or they diverge (nothing
     *         may change then; the reason is kept for the heartbeat and the log)
     */
    private EpochState readState() {
        Map<String, ClusterStateStore.StoreRead> reads = readStores();
        Map<String, EpochState> rows = new LinkedHashMap<>();
        reads.forEach((db, r) -> rows.put(db, r.state()));
        answered = Quorum.STORES.stream().filter(reads::containsKey).toList();
        for (String db : Quorum.STORES) {
            silentRounds.put(db, answered.contains(db) ? 0 : silentRounds.getOrDefault(db, 0) + 1);
        }
        Quorum.View view = Quorum.current(rows, highestSeen);
        if (view instanceof Quorum.Current current) {
            EpochState best = current.state();
            if (storeTrouble != null) {
                LOG.info(() -> "the stores agree again: " + best + " (" + answered + " answer)");
            }
            storeTrouble = null;
            ReplicationHint.lagging(best.lagging());
            if (highestSeen == null || best.epoch() != highestSeen.epoch()) {
                // a new primary (or mode) has had no interval to tick in yet: its stillness counts from now
                tickMovedAt = System.nanoTime();
            }
            followTick(reads.values());
            highestSeen = best;
            return best;
        }
        String trouble = view instanceof Quorum.Divergence d ? "DIVERGENCE: " + d.reason()
                : "no majority of the epoch stores answers (only " + answered + "): nothing may change";
        if (!trouble.equals(storeTrouble)) {
            LOG.warning(settings.node() + ": " + trouble);
        }
        storeTrouble = trouble;
        return null;
    }

    /** The highest (epoch, tick) among the stores that answered; notes the moment it moved. */
    private void followTick(java.util.Collection<ClusterStateStore.StoreRead> reads) {
        long epoch = -1;
        long tick = -1;
        for (ClusterStateStore.StoreRead r : reads) {
            if (r.tickEpoch() > epoch || (r.tickEpoch() == epoch && r.tick() > tick)) {
                epoch = r.tickEpoch();
                tick = r.tick();
            }
        }
        if (epoch != seenTickEpoch || tick != seenTick) {
            seenTickEpoch = epoch;
            seenTick = tick;
            tickMovedAt = System.nanoTime();
        }
    }

    /** Each store read on a thread of its own, waited for until the round's deadline; a store still being read is skipped. */
    private Map<String, ClusterStateStore.StoreRead> readStores() {
        if (lastRoundWithStores == 0) {
            // the first round runs in @PostConstruct, while the deployment starts: the managed executor
            // does not run tasks of a deployment that is not up yet, so read here, one store after the other
            Map<String, ClusterStateStore.StoreRead> reads = new LinkedHashMap<>();
            for (String db : Quorum.STORES) {
                try {
                    reads.put(db, store.read(db, 2));
                } catch (SQLException | RuntimeException e) {
                    LOG.fine(() -> "cannot read the state of " + db + ": " + rootMessage(e));
                }
            }
            return reads;
        }
        for (String db : Quorum.STORES) {
            Future<ClusterStateStore.StoreRead> running = reading.get(db);
            if (running == null || running.isDone()) {
                reading.put(db, readers.submit(() -> store.read(db, 2)));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(300, settings.timeoutMs() * 2L));
        Map<String, ClusterStateStore.StoreRead> reads = new LinkedHashMap<>();
        for (String db : Quorum.STORES) {
            Future<ClusterStateStore.StoreRead> f = reading.get(db);
            try {
                reads.put(db, f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                LOG.fine(() -> db + " did not answer within the round's deadline");
            } catch (ExecutionException e) {
                LOG.fine(() -> "cannot read the state of " + db + ": " + rootMessage(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return reads;
    }

    private String readBinding() {
        try {
            return bindings.read();
        } catch (NamingException e) {
            return null;
        }
    }

    private void probed(HeartbeatProbe.Result beat) {
        lastRoundTripMicros = beat.roundTripMicros();
        count("duplex.heartbeat.probes", "outcome", beat.outcome().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Counts in the server's registry; a metrics failure must never stop a detector round. */
    private void count(String name, String tag, String value) {
        try {
            registry.counter(name, "node", settings.node(), tag, value).increment();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.FINE, "metric " + name + " not counted", e);
        }
    }

    private void event(String kind, long epoch, String detail) {
        count("duplex.cluster.events", "kind", kind);
        String own = System.getProperty("duplex.own.database", "db-a");
        try {
            store.recordEvent(own, settings.node(), kind, epoch, detail);
        } catch (SQLException | RuntimeException e) {
            LOG.fine(() -> "event not recorded (" + kind + "): " + e.getMessage());
        }
        LOG.info(() -> "event " + kind + ": " + detail);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
