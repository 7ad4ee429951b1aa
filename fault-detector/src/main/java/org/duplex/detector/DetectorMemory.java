package org.duplex.detector;

import java.util.List;
import java.util.Map;
import org.duplex.reservation.replication.EpochState;

/**
 * What one node's detector carries from round to round: immutable, replaced whole by every
 * {@link Detector} step, so that the heartbeat (read on other threads) always sees one consistent round.
 * Every time is in milliseconds of the caller's monotonic clock ({@code System.nanoTime() / 1e6} in
 * the server, a simulated clock in the tests); {@link #NEVER} stands for "not yet".
 *
 * @param role                  what the current state makes this node
 * @param state                 the current state of the last round that read a majority, null before one
 * @param highestSeen           the highest state this node has seen: a majority showing less is a divergence
 * @param answered              the stores that answered the last read, in lock order
 * @param silentRounds          per store, rounds in a row it did not answer
 * @param storeTrouble          why the last read gave no current state (no majority, a divergence), null if it did
 * @param lastRoundWithStoresMs when a round last read a majority
 * @param seenTickEpoch         the primary's liveness tick as last read: its epoch ...
 * @param seenTick              ... and its counter (the highest among the stores that answered)
 * @param tickMovedAtMs         when that tick (or the epoch) last moved, as this node saw it
 * @param misses                heartbeats of the primary missed in a row
 * @param seenPrimaryAlive      the primary answered at least once since this detector started
 * @param primaryReportedDown   a {@code primary-down} event was announced and no {@code primary-up} since
 * @param healthyBackupSinceMs  since when this node has been a backup serving its own requests (failback), or NEVER
 * @param drained               the drain setting as last announced
 * @param lastHandOffMs         when this drained primary last asked its peer to take control, or NEVER
 * @param peer                  the other node as the last probe found it
 * @param lastTickOkMs          when this node, as primary, last made its liveness tick, or NEVER
 * @param startedAtMs           when this detector started (the startup grace counts from it)
 * @param lastPromotionFailure  why the last attempt to promote this node failed, null if it did not
 * @param lastBound             the {@code reservation/primary} value this detector last bound or found right
 * @param lastPruneMs           when this node, as primary, last asked for old transaction markers to be pruned, or NEVER
 */
record DetectorMemory(Role role, EpochState state, EpochState highestSeen, List<String> answered,
                             Map<String, Integer> silentRounds, String storeTrouble, long lastRoundWithStoresMs,
                             long seenTickEpoch, long seenTick, long tickMovedAtMs, int misses,
                             boolean seenPrimaryAlive, boolean primaryReportedDown, long healthyBackupSinceMs,
                             boolean drained, long lastHandOffMs, PeerStatus peer, long lastTickOkMs,
                             long startedAtMs, String lastPromotionFailure, String lastBound,
                             long lastPruneMs) {

    /** "Not yet" for every time field. */
    public static final long NEVER = Long.MIN_VALUE;

    public DetectorMemory {
        answered = List.copyOf(answered);
        silentRounds = Map.copyOf(silentRounds);
    }

    /** A detector that has seen nothing yet, started at {@code nowMs}. */
    public static DetectorMemory start(long nowMs) {
        return new DetectorMemory(Role.UNKNOWN, null, null, List.of(), Map.of(), null, NEVER, -1, -1, nowMs, 0,
                false, false, NEVER, false, NEVER, PeerStatus.UNKNOWN, NEVER, nowMs, null, null,
                NEVER);
    }

    /** Rounds in a row {@code store} did not answer. */
    public int silentRounds(String store) {
        return silentRounds.getOrDefault(store, 0);
    }

    /** After a change of state this node made as a takeover: the misses start again, no failure to report. */
    public DetectorMemory promoted() {
        Editor e = edit();
        e.misses = 0;
        e.lastPromotionFailure = null;
        return e.done();
    }

    /** After a takeover the stores refused or that failed: why, for the heartbeat. */
    public DetectorMemory promotionFailed(String why) {
        Editor e = edit();
        e.lastPromotionFailure = why;
        return e.done();
    }

    /** After a successful liveness tick at {@code nowMs}. */
    public DetectorMemory ticked(long nowMs) {
        Editor e = edit();
        e.lastTickOkMs = nowMs;
        return e.done();
    }

    /** After a successful rebind of {@code reservation/primary} to {@code value}. */
    public DetectorMemory bound(String value) {
        Editor e = edit();
        e.lastBound = value;
        return e.done();
    }

    Editor edit() {
        return new Editor(this);
    }

    /** A mutable copy for the length of one {@link Detector} step; never escapes it. */
    static final class Editor {
        Role role;
        EpochState state;
        EpochState highestSeen;
        List<String> answered;
        Map<String, Integer> silentRounds;
        String storeTrouble;
        long lastRoundWithStoresMs;
        long seenTickEpoch;
        long seenTick;
        long tickMovedAtMs;
        int misses;
        boolean seenPrimaryAlive;
        boolean primaryReportedDown;
        long healthyBackupSinceMs;
        boolean drained;
        long lastHandOffMs;
        PeerStatus peer;
        long lastTickOkMs;
        long startedAtMs;
        String lastPromotionFailure;
        String lastBound;
        long lastPruneMs;

        Editor(DetectorMemory m) {
            role = m.role;
            state = m.state;
            highestSeen = m.highestSeen;
            answered = m.answered;
            silentRounds = m.silentRounds;
            storeTrouble = m.storeTrouble;
            lastRoundWithStoresMs = m.lastRoundWithStoresMs;
            seenTickEpoch = m.seenTickEpoch;
            seenTick = m.seenTick;
            tickMovedAtMs = m.tickMovedAtMs;
            misses = m.misses;
            seenPrimaryAlive = m.seenPrimaryAlive;
            primaryReportedDown = m.primaryReportedDown;
            healthyBackupSinceMs = m.healthyBackupSinceMs;
            drained = m.drained;
            lastHandOffMs = m.lastHandOffMs;
            peer = m.peer;
            lastTickOkMs = m.lastTickOkMs;
            startedAtMs = m.startedAtMs;
            lastPromotionFailure = m.lastPromotionFailure;
            lastBound = m.lastBound;
            lastPruneMs = m.lastPruneMs;
        }

        DetectorMemory done() {
            return new DetectorMemory(role, state, highestSeen, answered, silentRounds, storeTrouble,
                    lastRoundWithStoresMs, seenTickEpoch, seenTick, tickMovedAtMs, misses, seenPrimaryAlive,
                    primaryReportedDown, healthyBackupSinceMs, drained, lastHandOffMs, peer, lastTickOkMs,
                    startedAtMs, lastPromotionFailure, lastBound, lastPruneMs);
        }
    }

}
