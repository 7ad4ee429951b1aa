package org.duplex.detector;

import io.micrometer.core.instrument.MeterRegistry;
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
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.NamingException;
import org.duplex.reservation.api.PrimaryBinding;
import org.duplex.reservation.replication.EpochState;
import org.duplex.reservation.replication.FencedSignal;
import org.duplex.reservation.replication.Quorum;
import org.duplex.reservation.replication.ReplicationHint;

/**
 * The fault detector and replication manager of one node: a loop that observes, lets {@link Detector}
 * decide, and carries the {@link Decision}s out. The rules are all in {@link Detector}; this bean only
 * schedules rounds and does I/O through {@link EpochStores}, {@link InDoubtBranches}, {@link PeerProbe},
 * {@link PrimaryBindings} and {@link EventRecorder}.
 *
 * <p>Every {@code duplex.detector.interval.ms} a round reads the three epoch stores side by side (each
 * within the round's deadline), takes the role the current state gives, makes {@code reservation/primary}
 * say the same, then probes the other node and acts: as backup, promotes itself when the primary is gone
 * (DESIGN.md, "Liveness") or fails back; as primary, ticks, degrades around a silent database, catches it
 * up and resyncs. Safety does not rest on this bean being right: every change it asks for is re-checked
 * by the stores under the exclusive epoch lock, and every write by the write fence, so a node that lost
 * the primary role cannot commit, whatever it believes.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class FaultDetector {

    private static final Logger LOG = Logger.getLogger(FaultDetector.class.getName());
    /** How long a compare-and-set waits for writes in flight before it tries again. */
    static final long CAS_LOCK_TIMEOUT_MS = 1000;
    /**
     * How long a switch to degraded mode waits for the epoch lock: longer than a database call's socket
     * deadline (2 s), since the writes holding it shared are stuck on the database that went silent.
     */
    static final long DEGRADE_LOCK_TIMEOUT_MS = 3000;
    /** Attempts of a planned switchover before it gives up for this round. */
    private static final int SWITCH_ATTEMPTS = 5;

    @EJB
    private ClusterStateStore store;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    /** Reads the three stores side by side, so that a hung one never delays the others. */
    @Resource
    private ManagedExecutorService readers;

    /** The thread of the {@link CrashWatch}. */
    @Resource
    private ManagedThreadFactory threads;

    /** The server's Micrometer registry: event counts and heartbeat round trips, read at /metrics. */
    @Inject
    private MeterRegistry registry;

    private final PeerProbe probe = new HeartbeatProbe();
    private final PrimaryBindings bindings = new PrimaryBindingWriter();
    private final Object roundLock = new Object();
    private EpochStores stores;
    private InDoubtFinisher inDoubt;
    private OwnAbortedBranches ownAborted;
    /** The sweep of this node's own aborted branches in flight, if any, and when the last one started (ms). */
    private volatile Future<?> sweeping;
    private volatile long lastSweepMs = DetectorMemory.NEVER;
    private EventRecorder events;
    /** A backup's open connection to the primary: its end, with the port refusing, brings the next round now. */
    private CrashWatch crashWatch;

    private volatile DetectorSettings settings;
    /** Everything the rules remember, replaced whole each step: the heartbeat reads one consistent round. */
    private volatile DetectorMemory memory = DetectorMemory.start(nowMs());
    private volatile long lastRoundTripMicros = -1;
    /** Entries waiting in the journal for the lagging database, as the primary last counted them; -1 unknown. */
    private volatile long journalDepth = -1;
    private volatile String lastCatchUp;
    private volatile CatchUpFigures lastCatchUpFigures;
    /** A round failed with something unexpected: the node reports itself unhealthy until a round succeeds. */
    private volatile String roundFailure;
    private volatile ScheduledFuture<?> ticking;
    private volatile long tickingEveryMs;
    private final AtomicBoolean extraRoundQueued = new AtomicBoolean();
    /** The liveness tick in flight, if any: it runs beside the rounds, never inside one. */
    private volatile Future<?> livenessTick;
    /** The last liveness tick that succeeded, folded into {@link #memory} at the start of each round. */
    private volatile TickDone lastTick;
    private volatile long lastExtraRound;
    /** The read of each store still running (a hung store): not read again until it returns. */
    private final Map<String, Future<StoreRead>> reading = new ConcurrentHashMap<>();

    // touched only under roundLock
    private boolean warmedUp;
    private String refusedSettings;
    private String lastWait;

    @PostConstruct
    void start() {
        StoreEffects effects = new StoreEffects(store);
        stores = effects;
        inDoubt = new InDoubtFinisher(effects);
        ownAborted = new OwnAbortedBranches(effects);
        events = effects;
        settings = DetectorSettings.fromSystemProperties();
        synchronized (roundLock) {
            // before the node serves: take the role the databases give and bind what they say
            reconcile(true);
        }
        schedule(settings.intervalMs());
        FencedSignal.listen(this::roundSoon);
        crashWatch = new CrashWatch(this::watchedPrimary, this::roundSoon, threads);
        crashWatch.start();
        DetectorMemory m = memory;
        event("node-up", m.state() == null ? 0 : m.state().epoch(), settings.node() + " started as " + m.role().label());
        LOG.info(() -> settings.node() + " fault detector started as " + m.role().label() + ": heartbeat every "
                + settings.intervalMs() + " ms, timeout " + settings.timeoutMs() + " ms, " + settings.misses()
                + " misses, failback " + settings.failback().name().toLowerCase(Locale.ROOT));
    }

    @PreDestroy
    void stop() {
        ScheduledFuture<?> t = ticking;
        if (t != null) {
            t.cancel(false);
        }
        FencedSignal.clear();
        if (crashWatch != null) {
            crashWatch.close();
        }
        DetectorMemory m = memory;
        // an orderly stop (undeploy, shutdown): a kill -9 records nothing, the peer's detector does
        event("node-down", m.state() == null ? 0 : m.state().epoch(), settings.node() + " stopped (it was "
                + m.role().label() + ")");
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

    /** What the {@link CrashWatch} holds a connection to: the primary's HTTP base while this node is its backup. */
    private String watchedPrimary() {
        DetectorMemory m = memory;
        return m.role() == Role.BACKUP && m.state() != null ? settings.httpBase(m.state().primary()) : null;
    }

    /**
     * A write found this node demoted before its round did (see {@link FencedSignal}), or the
     * {@link CrashWatch} saw the primary's port close and refuse: one extra round now, at most one
     * queued and at most every 50 ms however many writes are refused.
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

    /** One round: observe, decide, act. Never throws: the schedule must go on. */
    void tick() {
        try {
            synchronized (roundLock) {
                reloadSettings();
                foldLastTick();
                if (!reconcile(true)) {
                    return;
                }
                roundFailure = null;
                warmUpOnce();
                sweepOwnAbortedBranches();
                watch();
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

    private void reloadSettings() {
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
    }

    /**
     * The first pass of a round: read the stores, take the role, make the binding agree; an admin's
     * rebind of the binding to the other node is carried out as a switchover.
     *
     * @param again after a change of state this pass made, read and reconcile once more
     * @return false when the stores give no current state (the round ends)
     */
    private boolean reconcile(boolean again) {
        DetectorMemory before = memory;
        Detector.Step step = Detector.reconcile(before, new Detector.StoreObservation(settings, nowMs(), readStores(),
                readBinding()));
        memory = step.memory();
        reportStoreTrouble(before.storeTrouble(), step.memory());
        if (!step.quorum()) {
            return false;
        }
        ReplicationHint.lagging(step.memory().state().lagging());
        if (carryOut(step.decisions()) && again) {
            reconcile(false);
        }
        return true;
    }

    /** The second pass: probe what {@link Detector} asks for, then carry out what it decides. */
    private void watch() {
        DetectorMemory m = memory;
        DetectorSettings s = settings;
        HeartbeatProbe.Result first = probe.probe(s.httpBase(Detector.probeTarget(m, s)), s.timeoutMs());
        lastRoundTripMicros = first.roundTripMicros();
        count("duplex.heartbeat.probes", "outcome", first.outcome().name().toLowerCase(Locale.ROOT));
        HeartbeatProbe.Result again = Detector.confirms(m, first)
                ? probe.probe(s.httpBase(m.state().primary()), s.timeoutMs()) : null;
        HeartbeatProbe.Result self = Detector.wantsSelfProbe(m, s, first)
                ? probe.probe(s.httpBase(s.node()), s.timeoutMs()) : null;
        Detector.Step step = Detector.watch(m, new Detector.PeerObservation(s, nowMs(), first, again, self));
        memory = step.memory();
        if (m.role() == Role.PRIMARY && !m.state().degraded()) {
            journalDepth = 0;
        }
        if (carryOut(step.decisions())) {
            reconcile(false);
        }
    }

    /**
     * Carries the decisions out in order, up to the first one that changed the state (or found it
     * changed under it): the rest were decided on what is now the past.
     *
     * @return whether the stores should be read again
     */
    private boolean carryOut(List<Decision> decisions) {
        for (Decision d : decisions) {
            if (act(d)) {
                return true;
            }
        }
        return false;
    }

    /** One effect. @return whether the state changed, or a change found it changed: read again */
    private boolean act(Decision d) {
        String node = settings.node();
        if (d instanceof Decision.RoleChange r) {
            LOG.info(() -> node + " is now " + r.now().label() + " (was " + r.was().label() + "): primary "
                    + r.state().primary() + " at epoch " + r.state().epoch());
        } else if (d instanceof Decision.Announce a) {
            event(a.kind(), a.epoch(), a.detail());
        } else if (d instanceof Decision.Wait w) {
            // said once while it stays the same, not every round
            if (!w.why().equals(lastWait)) {
                lastWait = w.why();
                LOG.warning(w.why());
            }
        } else if (d instanceof Decision.Rebind r) {
            rebind(r.binding());
        } else if (d instanceof Decision.HandOff h) {
            LOG.info(h::why);
            SwitchoverRequest.send(settings.httpBase(h.node()), settings.timeoutMs() * 10);
        } else if (d instanceof Decision.TickLiveness t) {
            Future<?> running = livenessTick;
            if (running == null || running.isDone()) {
                livenessTick = scheduler.submit(() -> tickLiveness(t.expected()));
            }
        } else if (d instanceof Decision.FinishInDoubt f) {
            inDoubt.finish(f);
        } else if (d instanceof Decision.PruneMarkers p) {
            pruneMarkers(p);
        } else if (d instanceof Decision.CountJournal c) {
            countJournal(c.source());
        } else if (d instanceof Decision.StateChange change) {
            return change(change);
        }
        return false;
    }

    private void rebind(PrimaryBinding expected) {
        try {
            long started = System.nanoTime();
            bindings.rebind(expected);
            memory = memory.bound(expected.format());
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            LOG.info(() -> settings.node() + " bound " + PrimaryBinding.REMOTE_NAME + " to '" + expected.format()
                    + "' in " + tookMs + " ms");
        } catch (java.io.IOException e) {
            // while the server boots its management API refuses operations: the next round binds
            Level level = String.valueOf(e.getMessage()).contains("WFLYCTL0379") ? Level.FINE : Level.WARNING;
            LOG.log(level, settings.node() + " could not rebind " + PrimaryBinding.REMOTE_NAME + ": " + e.getMessage());
        }
    }

    /** A liveness tick that succeeded: the epoch it was made under, and when it ended (ms, {@link #nowMs}). */
    private record TickDone(long epoch, long atMs) {
    }

    /**
     * The primary's liveness tick: one fenced XA write to its write majority, on a thread of its own. A
     * tick caught by a database that just hung runs each of its calls to their deadlines (seconds); inside
     * the round it held the round up so long that the backup took over before this primary had read the
     * database silent twice and degraded (CI, SafetyIT's SIGSTOPped db-b). A refusal by the fence (demoted
     * meanwhile) makes it look again at once.
     */
    private void tickLiveness(EpochState expected) {
        try {
            stores.tick(expected, settings.node());
            lastTick = new TickDone(expected.epoch(), nowMs());
        } catch (StaleEpochException e) {
            LOG.info(() -> "liveness tick refused, looking again: " + e.getMessage());
            roundSoon();
        } catch (SQLException | RuntimeException e) {
            LOG.fine(() -> "liveness tick failed: " + rootMessage(e));
        }
    }

    /**
     * At most once a second, beside the round: rolls back the branches this node's transaction manager
     * aborted but could not reach (see {@link OwnAbortedBranches}) in the stores that answered this round.
     */
    private void sweepOwnAbortedBranches() {
        long now = nowMs();
        Future<?> running = sweeping;
        if ((running != null && !running.isDone())
                || (lastSweepMs != DetectorMemory.NEVER && now - lastSweepMs < 1000)) {
            return;
        }
        lastSweepMs = now;
        List<String> answered = memory.answered();
        String node = settings.node();
        sweeping = scheduler.submit(() -> ownAborted.rollBack(node, answered));
    }

    /** The last tick that succeeded counts for this round, when it was made under the epoch this node is primary of. */
    private void foldLastTick() {
        TickDone t = lastTick;
        DetectorMemory m = memory;
        if (t != null && m.role() == Role.PRIMARY && m.state() != null && t.epoch() == m.state().epoch()
                && (m.lastTickOkMs() == DetectorMemory.NEVER || t.atMs() > m.lastTickOkMs())) {
            memory = m.ticked(t.atMs());
        }
    }

    /** A change of state. @return whether to read the stores again */
    private boolean change(Decision.StateChange d) {
        String node = settings.node();
        if (d instanceof Decision.Promote p) {
            return takeOver(d, () -> stores.changePrimary(p.expected(), node, node, p.stores(), "failover", p.why(),
                    CAS_LOCK_TIMEOUT_MS), p.why());
        }
        if (d instanceof Decision.TakeOverDegraded t) {
            return takeOver(d, () -> stores.takeOverDegraded(t.expected(), node, t.lagging(), t.stores(), t.why(),
                    DEGRADE_LOCK_TIMEOUT_MS), t.why());
        }
        if (d instanceof Decision.SwitchOver s) {
            return switchTo(s);
        }
        if (d instanceof Decision.Degrade g) {
            CountDownLatch finished = new CountDownLatch(1);
            readers.submit(() -> endWritesBlocking(g.stores(), finished));
            try {
                EpochState next = stores.degrade(g.expected(), g.lagging(), node, g.stores(), g.why(), DEGRADE_LOCK_TIMEOUT_MS);
                count("duplex.cluster.events", "kind", "degraded");
                LOG.warning(() -> "DEGRADED at epoch " + next.epoch() + ": " + g.lagging() + " is down, writing to "
                        + g.stores().get(0) + " and the witness");
                return true;
            } catch (SQLException | StaleEpochException | RuntimeException e) {
                LOG.warning("could not switch to degraded mode: " + rootMessage(e));
                return false;
            } finally {
                finished.countDown();
            }
        }
        Decision.Resync r = (Decision.Resync) d;
        try {
            CatchUp.Done done = new CatchUp(stores).run(r, node, depth -> journalDepth = depth);
            if (done == null) {
                return false;
            }
            count("duplex.cluster.events", "kind", "resynced");
            lastCatchUp = done.describe(r.lagging());
            lastCatchUpFigures = done.figures(r.lagging());
            LOG.warning(() -> "RESYNCED at epoch " + done.state().epoch() + ": " + lastCatchUp
                    + "; back to XA on both databases");
            return true;
        } catch (SQLException | StaleEpochException | RuntimeException e) {
            LOG.info("catch-up of " + r.lagging() + " not finished yet: " + rootMessage(e));
            return false;
        }
    }

    /**
     * Beside a degrade waiting for the epoch lock: every 100 ms until it is done (at most its lock wait),
     * ends this node's own writes that hold the lock shared in the stores it locks while stuck on the
     * silent database (see {@link ClusterStateStore#endOwnWritesBlockingEpochChange}). Once the exclusive
     * request waits, later writes queue behind it, so what holds the lock is all there is to end.
     */
    private void endWritesBlocking(List<String> lockStores, CountDownLatch finished) {
        String node = settings.node();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEGRADE_LOCK_TIMEOUT_MS);
        int ended = 0;
        try {
            while (!finished.await(100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                for (String db : lockStores) {
                    try {
                        ended += stores.endOwnWritesBlockingEpochChange(db, node);
                    } catch (SQLException | RuntimeException e) {
                        LOG.fine(() -> "writes holding the epoch lock in " + db + " not ended: " + rootMessage(e));
                    }
                }
                // an ended session can leave its branch prepared, the lock with it, for Narayana to roll back
                ownAborted.rollBack(node, lockStores);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ended > 0) {
            int n = ended;
            LOG.info(() -> "ended " + n + " write session(s) of " + node + " that held the epoch lock while stuck on"
                    + " the silent database, so that the degrade could lock");
        }
    }

    /** A change of state as one call, for {@link #takeOver}. */
    @FunctionalInterface
    private interface Change {
        EpochState make() throws SQLException, StaleEpochException;
    }

    /** Failover: the old primary's branches were finished just before (a {@link Decision.FinishInDoubt}). */
    private boolean takeOver(Decision.StateChange d, Change change, String why) {
        long t0 = System.nanoTime();
        try {
            EpochState next = change.make();
            count("duplex.cluster.events", "kind", "failover");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            LOG.warning(() -> settings.node() + " PROMOTED to primary at epoch " + next.epoch() + " in " + ms + " ms: " + why);
            memory = memory.promoted();
            bindNow(next);
            return true;
        } catch (StaleEpochException e) {
            memory = memory.promotionFailed(e.getMessage());
            LOG.info("promotion not made: " + e.getMessage());
            return true;
        } catch (SQLException | RuntimeException e) {
            // nothing was written (the change is one XA transaction): the next round tries again
            memory = memory.promotionFailed(rootMessage(e));
            LOG.warning(settings.node() + " could not promote itself: " + rootMessage(e));
            return false;
        }
    }

    /**
     * Rebinds {@code reservation/primary} to the state this node just wrote, before the stores are read
     * again: clients wait for the binding, and the state is known (the change committed it). The read
     * that follows finds the binding right and leaves it.
     */
    private void bindNow(EpochState next) {
        rebind(new PrimaryBinding(next.primary(), settings.remoteUrl(next.primary()), next.epoch()));
    }

    /** Planned change of primary to this node: writes in flight finish first (the compare-and-set waits for them). */
    private boolean switchTo(Decision.SwitchOver s) {
        String node = settings.node();
        for (int attempt = 1; attempt <= SWITCH_ATTEMPTS; attempt++) {
            try {
                EpochState next = stores.changePrimary(s.expected(), node, node, s.stores(), s.kind(), s.why(),
                        CAS_LOCK_TIMEOUT_MS);
                count("duplex.cluster.events", "kind", s.kind());
                LOG.warning(() -> node + " took control (" + s.kind() + ") at epoch " + next.epoch() + ": " + s.why());
                bindNow(next);
                return true;
            } catch (StaleEpochException e) {
                LOG.info(s.kind() + " not needed: " + e.getMessage());
                return true;
            } catch (SQLException | RuntimeException e) {
                LOG.info(s.kind() + " attempt " + attempt + " failed: " + rootMessage(e));
            }
        }
        return false;
    }

    /** Before this node may have to take over: its first XA commit, done once, while nothing waits on it. */
    private void warmUpOnce() {
        if (warmedUp) {
            return;
        }
        try {
            long t0 = System.nanoTime();
            stores.warmUp(settings.node());
            warmedUp = true;
            LOG.info(() -> settings.node() + " warmed up its XA path in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (SQLException | RuntimeException e) {
            LOG.fine(() -> "warm-up not done yet: " + e.getMessage());
        }
    }

    /**
     * Deletes the transaction markers older than the retention in every store, unless a store holds a
     * branch prepared that long ago (its outcome may still be read off a marker). Every store is checked
     * before any is pruned: a branch prepared after the checks wrote its marker after the cut-off.
     */
    private void pruneMarkers(Decision.PruneMarkers p) {
        try {
            for (String db : p.stores()) {
                if (stores.holdsPreparedOlderThan(db, p.retentionSeconds())) {
                    LOG.info(() -> db + " holds a branch prepared more than " + p.retentionSeconds()
                            + " s ago: transaction markers kept");
                    return;
                }
            }
            int deleted = 0;
            for (String db : p.stores()) {
                deleted += stores.pruneMarkers(db, p.retentionSeconds());
            }
            int n = deleted;
            LOG.fine(() -> "pruned " + n + " transaction marker(s) older than " + p.retentionSeconds() + " s");
        } catch (SQLException | RuntimeException e) {
            LOG.info(() -> "transaction markers not pruned: " + rootMessage(e));
        }
    }

    /** Counts the journal for the heartbeat (and the dashboard). */
    private void countJournal(String source) {
        try {
            journalDepth = -1;
            journalDepth = stores.journalDepth(source);
        } catch (SQLException | RuntimeException e) {
            LOG.fine(() -> "journal of " + source + " not counted: " + e.getMessage());
        }
    }

    /** Planned handover to this node, asked for by an admin (REST, ./duplex switchover, or a rebind). */
    public String switchover() {
        synchronized (roundLock) {
            reconcile(true);
            DetectorMemory m = memory;
            EpochState current = m.state();
            String node = settings.node();
            if (current == null) {
                return "no database readable: cannot switch over";
            }
            if (current.primary().equals(node)) {
                return node + " is already primary at epoch " + current.epoch();
            }
            if (settings.drained()) {
                return node + " is drained (duplex.drain=true) and takes no control; primary "
                        + current.primary() + " at epoch " + current.epoch();
            }
            if (switchTo(new Decision.SwitchOver(current, m.answered(), "switchover", "requested by an admin"))) {
                reconcile(false);
            }
            return node + " is " + memory.role().label() + " at epoch " + memory.state().epoch();
        }
    }

    /** The settings the detector works with now (read again from system properties every round). */
    public DetectorSettings currentSettings() {
        return settings;
    }

    /** What the heartbeat endpoint answers: cheap, no database, no lock shared with the detector round. */
    public Heartbeat heartbeat() {
        DetectorMemory m = memory;
        DetectorSettings applied = settings;
        EpochState s = m.state();
        boolean primary = m.role() == Role.PRIMARY;
        long now = nowMs();
        String unhealthy = Detector.unhealthy(m, applied, now, roundFailure);
        long roundTrip = lastRoundTripMicros;
        return new Heartbeat(applied.node(), m.role().label(), s == null ? 0 : s.epoch(), s == null ? null : s.primary(),
                s == null ? null : s.mode(), s == null ? null : s.lagging(), m.peer().label(), roundTrip,
                roundTrip < 0 ? -1 : roundTrip / 1000.0, primary ? journalDepth : -1, m.lastPromotionFailure(),
                lastCatchUp, lastCatchUpFigures, Detector.roundAgeMs(m, now), Detector.tickAgeMs(m, now),
                unhealthy == null, unhealthy, Binding.of(readBinding()));
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
     * @param lastCatchUp what the last catch-up of a lagging database replayed, and how fast, for people
     * @param lastCatchUpFigures the same as numbers, null before this node finished a catch-up
     * @param storesReadAgoMs      ms since this detector last completed a round with a majority of the epoch
     *                             stores, -1 never
     * @param tickAgoMs            ms since this node, as primary, last made its liveness tick; -1 on a backup
     *                             or before the first
     * @param healthy              the detector runs, reads a majority, and (as primary) ticks: the heartbeat
     *                             answers 503 otherwise, and the peer counts a miss
     * @param unhealthyReason      why not healthy, null when healthy
     * @param binding              what this node serves at {@code reservation/primary} now (a lookup in its own
     *                             naming, no remote call), null when nothing is bound there or it does not parse
     */
    public record Heartbeat(String node, String role, long epoch, String primary, String mode, String lagging,
                            String peer, long peerRoundTripMicros, double peerRoundTripMs, long journalDepth,
                            String lastPromotionFailure, String lastCatchUp, CatchUpFigures lastCatchUpFigures,
                            long storesReadAgoMs, long tickAgoMs, boolean healthy, String unhealthyReason,
                            Binding binding) {
    }

    /**
     * The {@code reservation/primary} binding as a node serves it to clients.
     *
     * @param node  the primary it names
     * @param url   where clients reach that primary
     * @param epoch the epoch it was bound at
     */
    public record Binding(String node, String url, long epoch) {

        /** The binding in {@code value} ({@link PrimaryBinding#format()}), or null when absent or malformed. */
        static Binding of(String value) {
            if (value == null) {
                return null;
            }
            try {
                PrimaryBinding b = PrimaryBinding.parse(value);
                return new Binding(b.node(), b.url(), b.epoch());
            } catch (IllegalArgumentException malformed) {
                return null;
            }
        }
    }

    /**
     * A finished catch-up in numbers.
     *
     * @param database      the database that was lagging and was caught up
     * @param entries       journal entries replayed into it before the last, exclusive step
     * @param ms            how long the replay took, ms (at least 1)
     * @param entriesPerSec entries / s over that time
     */
    public record CatchUpFigures(String database, long entries, long ms, long entriesPerSec) {
    }

    private void reportStoreTrouble(String before, DetectorMemory after) {
        String trouble = after.storeTrouble();
        if (trouble == null && before != null) {
            LOG.info(() -> "the stores agree again: " + after.state() + " (" + after.answered() + " answer)");
        } else if (trouble != null && !trouble.equals(before)) {
            LOG.warning(settings.node() + ": " + trouble);
        }
    }

    /** Each store read on a thread of its own, waited for until the round's deadline; a store still being read is skipped. */
    private Map<String, StoreRead> readStores() {
        Map<String, StoreRead> reads = new LinkedHashMap<>();
        if (memory.lastRoundWithStoresMs() == DetectorMemory.NEVER) {
            // the first round runs in @PostConstruct, while the deployment starts: the managed executor
            // does not run tasks of a deployment that is not up yet, so read here, one store after the other
            for (String db : Quorum.STORES) {
                try {
                    reads.put(db, stores.read(db, 2));
                } catch (SQLException | RuntimeException e) {
                    LOG.fine(() -> "cannot read the state of " + db + ": " + rootMessage(e));
                }
            }
            return reads;
        }
        for (String db : Quorum.STORES) {
            Future<StoreRead> running = reading.get(db);
            if (running == null || running.isDone()) {
                reading.put(db, readers.submit(() -> stores.read(db, 2)));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(300, settings.timeoutMs() * 2L));
        for (String db : Quorum.STORES) {
            try {
                reads.put(db, reading.get(db).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
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

    /** Counts in the server's registry; a metrics failure must never stop a detector round. */
    private void count(String name, String tag, String value) {
        try {
            registry.counter(name, "node", settings.node(), tag, value).increment();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.FINE, "metric " + name + " not counted", e);
        }
    }

    /** Records an event of this node that the rounds did not decide (an identity locked out: {@link LoginWatch}). */
    public void record(String kind, String detail) {
        DetectorMemory m = memory;
        event(kind, m.state() == null ? 0 : m.state().epoch(), detail);
    }

    private void event(String kind, long epoch, String detail) {
        count("duplex.cluster.events", "kind", kind);
        String own = System.getProperty("duplex.own.database", "db-a");
        try {
            events.record(own, settings.node(), kind, epoch, detail);
        } catch (SQLException | RuntimeException e) {
            LOG.fine(() -> "event not recorded (" + kind + "): " + e.getMessage());
        }
        LOG.info(() -> "event " + kind + ": " + detail);
    }

    /** The monotonic clock every time in {@link DetectorMemory} is read from, ms. */
    private static long nowMs() {
        return System.nanoTime() / 1_000_000;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
