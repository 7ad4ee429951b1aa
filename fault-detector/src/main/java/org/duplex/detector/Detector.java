package org.duplex.detector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duplex.reservation.api.PrimaryBinding;
import org.duplex.reservation.replication.EpochState;
import org.duplex.reservation.replication.Quorum;

/**
 * The fault detector's rules (DESIGN.md, "Rules that keep data safe": majority quorums, liveness, one
 * database down), as pure functions: what one round observed and what the node remembers go in, the
 * decisions and the next memory come out. No I/O, no clock (the caller passes its monotonic time in
 * milliseconds), no logging, no randomness: the same inputs give the same step, which is what lets
 * {@code DetectorSimulationTest} drive two nodes through thousands of seeded schedules.
 *
 * <p>A round has two passes, because what to probe depends on what the stores say:
 * <ol>
 *   <li>{@link #reconcile}: the reads of the three stores give the current state ({@link Quorum#current}),
 *       the role, the binding to make, and an admin's rebind taken as a switchover request;</li>
 *   <li>{@link #watch}, after the probes {@link #probeTarget}, {@link #confirms} and {@link #wantsSelfProbe}
 *       ask for: as backup, whether to promote (or fail back); as primary, the liveness tick, the
 *       backup's up/down events, a drained node's hand-off, degrade and resync.</li>
 * </ol>
 * Nothing here is what keeps data safe: every change it asks for is re-checked by the stores under
 * the exclusive epoch lock, and every write by the write fence. These rules decide how fast, and
 * whether without ping-pong, a failure is acted on.
 */
final class Detector {

    /**
     * How much longer a backup waits on a primary that answers "unhealthy" than on one that does not
     * answer: two silent rounds and a degrade's lock wait, the time a primary needs to go on without a
     * silent database.
     */
    static final long UNHEALTHY_GRACE_MS = 6000;
    /** A drained primary asks its peer to take control at most this often. */
    static final long HAND_OFF_EVERY_MS = 2000;
    /** Rounds in a row a data database must be silent before the primary degrades around it: one slow read is not a database down. */
    static final int SILENT_ROUNDS_TO_DEGRADE = 2;

    /**
     * Transaction markers ({@code xa_marker}) younger than this are kept, s. A marker is read only to
     * finish a prepared branch of its transaction; a transaction writes its marker first and prepares
     * within the transaction timeout (30 s), so once no store holds a branch prepared this long ago, an
     * older marker can never be asked for again.
     */
    static final long MARKER_RETENTION_S = 600;
    /** The primary prunes the markers at most this often, ms. */
    static final long PRUNE_EVERY_MS = 60_000;

    private Detector() {
    }

    /**
     * What the read of the stores found this round.
     *
     * @param settings the settings this round applies
     * @param nowMs    the caller's monotonic clock, ms
     * @param reads    store name -> what it answered, for the stores that answered within the round's deadline
     * @param bound    what {@code reservation/primary} says on this node now, null if it could not be read
     */
    record StoreObservation(DetectorSettings settings, long nowMs, Map<String, StoreRead> reads, String bound) {
        StoreObservation {
            reads = Map.copyOf(reads);
        }
    }

    /**
     * What the heartbeat probes found this round.
     *
     * @param peer      the probe of {@link #probeTarget}
     * @param peerAgain the second probe {@link #confirms} asks for, else null
     * @param self      the probe of this node's own service {@link #wantsSelfProbe} asks for, else null
     */
    record PeerObservation(DetectorSettings settings, long nowMs, HeartbeatProbe.Result peer,
                           HeartbeatProbe.Result peerAgain, HeartbeatProbe.Result self) {
    }

    /**
     * One step's result.
     *
     * @param memory    what to remember for the next step
     * @param decisions the effects to carry out, in order
     * @param quorum    the stores gave a current state ({@link DetectorMemory#state()}); when false, the
     *                  round ends here (nothing may change, {@link DetectorMemory#storeTrouble()} says why)
     */
    record Step(DetectorMemory memory, List<Decision> decisions, boolean quorum) {
        Step {
            decisions = List.copyOf(decisions);
        }
    }

    /**
     * The first pass of a round (and the whole of a reconcile at start, on a switchover request and
     * after every change of state): the current state from the reads, the role it gives, whether the
     * binding must change, and whether an admin's rebind asks for a switchover.
     *
     * <p>The current state is the highest-epoch row among a majority, a majority showing less than the
     * highest state seen being a divergence (DESIGN.md, "Three epoch stores, majority quorums"). The
     * primary's liveness tick is followed here: it counts as moved when its (epoch, counter), the
     * highest among the stores that answered, differs from the last seen, or when the epoch changes (a
     * new primary has had no interval to tick in yet).
     *
     * @throws IllegalArgumentException the current state names a node the settings do not know
     */
    static Step reconcile(DetectorMemory m, StoreObservation o) {
        DetectorMemory.Editor e = m.edit();
        List<Decision> out = new ArrayList<>();
        DetectorSettings s = o.settings();
        long now = o.nowMs();
        List<String> answered = new ArrayList<>(Quorum.STORES.size());
        Map<String, Integer> silent = new HashMap<>();
        Map<String, EpochState> rows = new LinkedHashMap<>();
        for (String db : Quorum.STORES) {
            StoreRead read = o.reads().get(db);
            if (read != null) {
                answered.add(db);
                rows.put(db, read.state());
            }
            silent.put(db, read != null ? 0 : m.silentRounds(db) + 1);
        }
        e.answered = answered;
        e.silentRounds = silent;
        Quorum.View view = Quorum.current(rows, m.highestSeen());
        if (!(view instanceof Quorum.Current current)) {
            e.storeTrouble = view instanceof Quorum.Divergence d ? "DIVERGENCE: " + d.reason()
                    : "no majority of the epoch stores answers (only " + answered + "): nothing may change";
            if (m.role() == Role.PRIMARY) {
                e.lastTickOkMs = DetectorMemory.NEVER;
            }
            return new Step(e.done(), out, false);
        }
        EpochState best = current.state();
        e.storeTrouble = null;
        e.lastRoundWithStoresMs = now;
        if (m.highestSeen() == null || best.epoch() != m.highestSeen().epoch()) {
            e.tickMovedAtMs = now;
        }
        followTick(e, o.reads().values(), now);
        e.highestSeen = best;
        e.state = best;
        Role role = best.primary().equals(s.node()) ? Role.PRIMARY : Role.BACKUP;
        if (role != m.role()) {
            e.role = role;
            e.misses = 0;
            e.primaryReportedDown = false;
            e.healthyBackupSinceMs = DetectorMemory.NEVER;
            // a new primary ticks on its next round; until then it is not "without a tick"
            e.lastTickOkMs = role == Role.PRIMARY ? now : DetectorMemory.NEVER;
            out.add(new Decision.RoleChange(m.role(), role, best));
            if (m.role() == Role.PRIMARY && m.state() != null) {
                out.add(new Decision.Announce("fenced", best.epoch(), s.node() + " lost the primary role to "
                        + best.primary() + " at epoch " + best.epoch() + " and stepped down to backup"));
            }
        }
        PrimaryBinding expected = new PrimaryBinding(best.primary(), s.remoteUrl(best.primary()), best.epoch());
        String want = expected.format();
        String bound = o.bound();
        if (bound != null && m.lastBound() != null && !bound.equals(m.lastBound()) && !bound.equals(want)) {
            adminRebind(bound, best, answered, s, out);
        }
        if (bound == null || !bound.equals(want)) {
            out.add(new Decision.Rebind(expected));
        } else {
            e.lastBound = want;
        }
        return new Step(e.done(), out, true);
    }

    /** The highest (epoch, tick) among the stores that answered; notes the moment it moved. */
    private static void followTick(DetectorMemory.Editor e, Iterable<StoreRead> reads, long now) {
        long epoch = -1;
        long tick = -1;
        for (StoreRead r : reads) {
            if (r.tickEpoch() > epoch || (r.tickEpoch() == epoch && r.tick() > tick)) {
                epoch = r.tickEpoch();
                tick = r.tick();
            }
        }
        if (epoch != e.seenTickEpoch || tick != e.seenTick) {
            e.seenTickEpoch = epoch;
            e.seenTick = tick;
            e.tickMovedAtMs = now;
        }
    }

    /**
     * An admin rebound {@code reservation/primary} (jboss-cli) to something this detector did not bind:
     * a request to hand control to the node it names (DESIGN.md, "Lookup through JNDI").
     */
    private static void adminRebind(String bound, EpochState current, List<String> answered, DetectorSettings s,
                                    List<Decision> out) {
        PrimaryBinding requested;
        try {
            requested = PrimaryBinding.parse(bound);
        } catch (IllegalArgumentException e) {
            out.add(new Decision.Wait("ignoring a rebind of " + PrimaryBinding.REMOTE_NAME + " that does not parse: "
                    + e.getMessage()));
            return;
        }
        if (requested.node().equals(current.primary()) || !s.nodes().containsKey(requested.node())) {
            return;
        }
        if (!requested.node().equals(s.node())) {
            out.add(new Decision.HandOff(requested.node(), "an admin rebound " + PrimaryBinding.REMOTE_NAME + " to "
                    + requested.node() + ": switching over"));
        } else if (!s.drained()) {
            out.add(new Decision.SwitchOver(current, answered, "switchover",
                    "requested by an admin's rebind of " + PrimaryBinding.REMOTE_NAME));
        }
    }

    /** Whom this round probes: the primary, as backup; the backup, as primary. */
    static String probeTarget(DetectorMemory m, DetectorSettings s) {
        return m.role() == Role.BACKUP ? m.state().primary() : s.peer();
    }

    /** A backup confirms a refused connection with a second probe before it takes the primary for dead. */
    static boolean confirms(DetectorMemory m, HeartbeatProbe.Result first) {
        return m.role() == Role.BACKUP && first.outcome() == HeartbeatProbe.Outcome.REFUSED;
    }

    /**
     * Whether failback needs to know that this node serves its own requests (a probe of its own
     * heartbeat): only the preferred primary, as a backup, under failback auto, with the primary alive.
     */
    static boolean wantsSelfProbe(DetectorMemory m, DetectorSettings s, HeartbeatProbe.Result first) {
        return m.role() == Role.BACKUP && first.outcome() == HeartbeatProbe.Outcome.ALIVE
                && s.failback() == DetectorSettings.Failback.AUTO && s.node().equals(s.preferredPrimary());
    }

    /**
     * The second pass, after a {@link #reconcile} that found a current state and the probes it asked
     * for. Backup: promote, wait or fail back. Primary: tick, watch the backup, hand off, degrade or resync.
     */
    static Step watch(DetectorMemory m, PeerObservation o) {
        DetectorMemory.Editor e = m.edit();
        List<Decision> out = new ArrayList<>();
        DetectorSettings s = o.settings();
        if (s.drained() != m.drained()) {
            e.drained = s.drained();
            out.add(new Decision.Announce(s.drained() ? "drained" : "undrained", m.state().epoch(), s.node()
                    + (s.drained() ? " drained for maintenance: it hands over and takes no control" : " back in rotation")));
        }
        if (m.role() == Role.BACKUP) {
            watchPrimary(m, e, o, out);
        } else {
            watchAsPrimary(m, e, o, out);
        }
        return new Step(e.done(), out, true);
    }

    /**
     * A backup's watch (DESIGN.md, "Liveness"). A refused connection, confirmed by a second probe, is a
     * process gone: promote at once (a partition drops packets, it does not refuse). {@code misses}
     * timed-out or unhealthy heartbeats promote only once the primary's liveness tick has also stood
     * still for {@code misses * interval + 2 * timeout} ms ({@link #UNHEALTHY_GRACE_MS} more when the
     * primary answers "unhealthy"), timed from this node's own reads: a primary that still writes its
     * majority is alive whatever its heartbeat says, so a cut between the two nodes alone changes nothing.
     * A backup that never saw the primary alive waits out the startup grace first.
     */
    private static void watchPrimary(DetectorMemory m, DetectorMemory.Editor e, PeerObservation o, List<Decision> out) {
        EpochState current = m.state();
        DetectorSettings s = o.settings();
        HeartbeatProbe.Result beat = o.peer();
        boolean mayPromote = m.seenPrimaryAlive() || o.nowMs() - m.startedAtMs() > s.startupGraceMs();
        switch (beat.outcome()) {
            case ALIVE -> {
                if (m.primaryReportedDown()) {
                    e.primaryReportedDown = false;
                    out.add(new Decision.Announce("primary-up", current.epoch(), "primary " + current.primary()
                            + " answers heartbeats again"));
                }
                e.misses = 0;
                e.seenPrimaryAlive = true;
                e.peer = PeerStatus.UP;
                failback(m, e, o, out);
            }
            case REFUSED -> {
                HeartbeatProbe.Result again = o.peerAgain();
                if (again == null || again.outcome() != HeartbeatProbe.Outcome.REFUSED) {
                    return;
                }
                if (!m.primaryReportedDown() && mayPromote) {
                    e.primaryReportedDown = true;
                    out.add(new Decision.Announce("primary-down", current.epoch(), "primary " + current.primary()
                            + " refused connections twice: its process is gone"));
                }
                e.peer = PeerStatus.DOWN;
                e.healthyBackupSinceMs = DetectorMemory.NEVER;
                if (mayPromote) {
                    promote(m, e, s, "primary " + current.primary() + " refused connections twice (" + again.body() + ")", out);
                }
            }
            case TIMEOUT, UNHEALTHY -> {
                int misses = m.misses() + 1;
                e.misses = misses;
                e.healthyBackupSinceMs = DetectorMemory.NEVER;
                PeerStatus now = beat.outcome() == HeartbeatProbe.Outcome.TIMEOUT ? PeerStatus.HUNG : PeerStatus.UNHEALTHY;
                boolean verdict = misses >= s.misses() && mayPromote;
                if (verdict && !m.primaryReportedDown()) {
                    e.primaryReportedDown = true;
                    out.add(new Decision.Announce("primary-down", current.epoch(), "primary " + current.primary()
                            + " is " + now.label() + ": " + misses + " heartbeats missed (" + beat.body() + ")"));
                }
                e.peer = now;
                if (!verdict) {
                    return;
                }
                // both rounds stretch by up to a heartbeat timeout while the link is cut (the probe waits it
                // out), so a tick seen still for less than that is no verdict
                long stillMs = o.nowMs() - m.tickMovedAtMs();
                long verdictMs = (long) s.misses() * s.intervalMs() + 2L * s.timeoutMs()
                        + (now == PeerStatus.UNHEALTHY ? UNHEALTHY_GRACE_MS : 0);
                if (stillMs < verdictMs) {
                    e.peer = now.stillWriting();
                    return;
                }
                promote(m, e, s, "primary " + current.primary() + " missed " + misses + " heartbeats (" + beat.body()
                        + ") and its liveness tick has not moved for " + stillMs + " ms", out);
            }
        }
    }

    /**
     * Takeover: finish what the old primary left in doubt, then move the epoch. In sync mode under
     * nofail, with exactly one data database silent and the witness answering, the takeover names that
     * database lagging (DESIGN.md: a primary that can no longer reach a majority is replaced by a node
     * that can). A drained node takes no control.
     */
    private static void promote(DetectorMemory m, DetectorMemory.Editor e, DetectorSettings s, String why,
                                List<Decision> out) {
        if (s.drained()) {
            e.lastPromotionFailure = s.node() + " is drained (duplex.drain=true): not taking over although " + why;
            out.add(new Decision.Wait(e.lastPromotionFailure));
            return;
        }
        EpochState current = m.state();
        List<String> stores = m.answered();
        String cutOff = unreachableDataDatabase(current, stores, s.policy());
        if (cutOff == null && !stores.containsAll(current.writeMajority())) {
            // the stores would refuse it (the new write majority must be locked): ending the primary's
            // sessions for nothing, round after round, would only break the writes it still makes
            e.lastPromotionFailure = "not taking over from " + current.primary() + ": the write majority "
                    + current.writeMajority() + " does not all answer here (only " + stores + ")";
            out.add(new Decision.Wait(e.lastPromotionFailure));
            return;
        }
        out.add(new Decision.FinishInDoubt(current.primary(), stores));
        out.add(cutOff == null ? new Decision.Promote(current, stores, why)
                : new Decision.TakeOverDegraded(current, stores, cutOff, why + "; " + cutOff + " does not answer here:"
                + " degraded onto the other data database and the witness (policy nofail)"));
    }

    /**
     * In sync mode under policy nofail, the data database this node cannot reach while it reaches the
     * other one and the witness; null when both answer, or when that is not possible or allowed.
     */
    static String unreachableDataDatabase(EpochState current, List<String> answered, DetectorSettings.Policy policy) {
        if (current.degraded() || policy != DetectorSettings.Policy.NOFAIL || !answered.contains(Quorum.WITNESS)) {
            return null;
        }
        List<String> silent = Quorum.DATA_DATABASES.stream().filter(db -> !answered.contains(db)).toList();
        return silent.size() == 1 ? silent.get(0) : null;
    }

    /**
     * Failback auto: the preferred primary, a backup that serves its own requests (not while it boots or
     * is suspended) for {@code failbackDelayMs}, takes control back.
     */
    private static void failback(DetectorMemory m, DetectorMemory.Editor e, PeerObservation o, List<Decision> out) {
        DetectorSettings s = o.settings();
        if (s.failback() != DetectorSettings.Failback.AUTO || !s.node().equals(s.preferredPrimary())) {
            return;
        }
        if (o.self() == null || o.self().outcome() != HeartbeatProbe.Outcome.ALIVE) {
            e.healthyBackupSinceMs = DetectorMemory.NEVER;
            return;
        }
        if (m.healthyBackupSinceMs() == DetectorMemory.NEVER) {
            e.healthyBackupSinceMs = o.nowMs();
            return;
        }
        long healthyMs = o.nowMs() - m.healthyBackupSinceMs();
        if (healthyMs >= s.failbackDelayMs() && !s.drained()) {
            out.add(new Decision.SwitchOver(m.state(), m.answered(), "failback", s.node()
                    + " has been a healthy backup for " + healthyMs + " ms (failback auto)"));
        }
    }

    /**
     * The primary's round: its liveness tick, unless a store of its write majority is silent (the tick
     * would wait out that store's deadline and hold the round up; the heartbeat then reports no tick);
     * the backup's up/down events; a drained primary's hand-off, every {@link #HAND_OFF_EVERY_MS} at most;
     * and, under nofail, degrade around a data database silent {@link #SILENT_ROUNDS_TO_DEGRADE} rounds in
     * a row (with the other one and the witness answering), or the catch-up and resync of the lagging one
     * once it and the source answer (DESIGN.md, "One database down").
     */
    private static void watchAsPrimary(DetectorMemory m, DetectorMemory.Editor e, PeerObservation o, List<Decision> out) {
        EpochState current = m.state();
        DetectorSettings s = o.settings();
        List<String> answered = m.answered();
        if (answered.containsAll(current.writeMajority())) {
            out.add(new Decision.TickLiveness(current));
        }
        PeerStatus backup = o.peer().outcome() == HeartbeatProbe.Outcome.ALIVE ? PeerStatus.UP : PeerStatus.DOWN;
        if (backup != m.peer() && m.peer() != PeerStatus.UNKNOWN) {
            out.add(new Decision.Announce("backup-" + backup.label(), current.epoch(), "backup " + s.peer() + " is "
                    + backup.label()));
        }
        e.peer = backup;
        if (s.drained() && backup == PeerStatus.UP && (m.lastHandOffMs() == DetectorMemory.NEVER
                || o.nowMs() - m.lastHandOffMs() >= HAND_OFF_EVERY_MS)) {
            e.lastHandOffMs = o.nowMs();
            out.add(new Decision.HandOff(s.peer(), s.node() + " is drained: asking " + s.peer() + " to take control"));
        }
        if (current.degraded()) {
            String lagging = current.lagging();
            String source = current.dataDatabases().get(0);
            out.add(new Decision.CountJournal(source));
            if (answered.contains(lagging) && answered.contains(source)) {
                out.add(new Decision.Resync(current, answered, lagging, source));
            }
            return;
        }
        if (answered.containsAll(Quorum.STORES) && (m.lastPruneMs() == DetectorMemory.NEVER
                || o.nowMs() - m.lastPruneMs() >= PRUNE_EVERY_MS)) {
            // in sync mode with every store answering, so that no prepared branch goes unseen
            e.lastPruneMs = o.nowMs();
            out.add(new Decision.PruneMarkers(Quorum.STORES, MARKER_RETENTION_S));
        }
        if (s.policy() != DetectorSettings.Policy.NOFAIL) {
            return;
        }
        for (String db : Quorum.DATA_DATABASES) {
            if (!answered.contains(db) && m.silentRounds(db) >= SILENT_ROUNDS_TO_DEGRADE) {
                String other = Quorum.DATA_DATABASES.stream().filter(d -> !d.equals(db)).findFirst().orElseThrow();
                if (answered.contains(other) && answered.contains(Quorum.WITNESS)) {
                    out.add(new Decision.Degrade(current, List.of(other, Quorum.WITNESS), db, db + " does not answer;"
                            + " writes go to " + other + " and the witness, journaled in " + other + " (policy nofail)"));
                }
                return;
            }
        }
    }

    /**
     * Why this node is unhealthy, for its heartbeat (which answers 503 then, so the peer counts a miss),
     * or null when healthy: a round failed, no round read a majority for {@code misses * interval + 1000}
     * ms, or, as primary, no liveness tick for as long.
     *
     * @param roundFailure what the last round failed with, null if it completed
     */
    static String unhealthy(DetectorMemory m, DetectorSettings s, long nowMs, String roundFailure) {
        boolean primary = m.role() == Role.PRIMARY;
        long roundAge = roundAgeMs(m, nowMs);
        long tickAge = tickAgeMs(m, nowMs);
        long stale = (long) s.misses() * s.intervalMs() + 1000;
        return roundFailure != null ? "detector round failed: " + roundFailure
                : roundAge < 0 || roundAge > stale ? "no round completed with a majority of the stores for "
                        + (roundAge < 0 ? "ever" : roundAge + " ms")
                        + (m.storeTrouble() == null ? "" : " (" + m.storeTrouble() + ")")
                : primary && (tickAge < 0 || tickAge > stale) ? "primary without a liveness tick for "
                        + (tickAge < 0 ? "ever" : tickAge + " ms")
                : null;
    }

    /** ms since a round last read a majority, -1 never. */
    static long roundAgeMs(DetectorMemory m, long nowMs) {
        return m.lastRoundWithStoresMs() == DetectorMemory.NEVER ? -1 : nowMs - m.lastRoundWithStoresMs();
    }

    /** ms since this node, as primary, last ticked; -1 on a backup or before the first. */
    static long tickAgeMs(DetectorMemory m, long nowMs) {
        return m.role() != Role.PRIMARY || m.lastTickOkMs() == DetectorMemory.NEVER ? -1 : nowMs - m.lastTickOkMs();
    }
}
