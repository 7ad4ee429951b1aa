package org.duplex.reservation.holds;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.Hold;
import org.duplex.reservation.api.HoldExpiredException;
import org.duplex.reservation.api.HoldsUnavailableException;
import org.duplex.reservation.api.NotPrimaryException;
import org.duplex.reservation.api.OverbookingException;
import org.duplex.reservation.api.RequestConflictException;
import org.duplex.reservation.api.UnknownHoldException;
import org.duplex.reservation.holds.HoldRecord.Phase;
import org.duplex.reservation.replication.EpochState;

/**
 * Placing, releasing and listing holds (the bean's {@code hold}, {@code release}, {@code listHolds}; input
 * already checked there). No XA write: a hold is fenced by the epoch through a PENDING entry, a read of the
 * state in the write majority, and a conditional step to LIVE that a successor's void can beat
 * (docs/holds.md, "Fencing"). Runs outside any transaction.
 */
@ApplicationScoped
public class Holds {

    private static final Logger LOG = Logger.getLogger(Holds.class.getName());

    @Inject
    HoldCache cache;

    @Inject
    HoldStores stores;

    @Inject
    ResourceGates gates;

    @Inject
    HoldMeters meters;

    /**
     * Places a hold, or answers a resend with the hold placed before (see {@code ReservationService.hold}).
     *
     * @throws HoldsUnavailableException the other node is absent or did not answer in time; nothing acknowledged
     */
    public Hold hold(String clientId, String operationId, String resourceId, int quantity, int seconds)
            throws DuplexException {
        String id = HoldRules.holdId(clientId, operationId);
        String me = stores.node().name();
        HoldRules.Verdict verdict = HoldRules.forHold(cache.live(id), cache.answer(id), resourceId, quantity, me,
                stores.knownEpoch(), now());
        if (verdict instanceof HoldRules.VoidFirst v) {
            voidPending(v.pending());
            verdict = HoldRules.forHold(cache.live(id), cache.answer(id), resourceId, quantity, me,
                    stores.knownEpoch(), now());
        }
        if (verdict instanceof HoldRules.Answer a) {
            // a LIVE entry without its answer record was never acknowledged: it is, now, if both nodes are there
            return a.record().phase() == Phase.LIVE ? acknowledge(a.record(), true) : a.record().view(true, now());
        }
        if (verdict instanceof HoldRules.Conflict c) {
            throw new RequestConflictException(c.reason());
        }
        if (!(verdict instanceof HoldRules.Place)) {
            throw new HoldsUnavailableException(verdict + "; resend");
        }
        return place(id, clientId, operationId, resourceId, quantity, seconds, me);
    }

    /**
     * The placement proper: PENDING on both nodes, proven primary by the stores, then LIVE and answered,
     * all in one cache topology of two members. The gate orders it against reserves on this node.
     */
    private Hold place(String id, String clientId, String operationId, String resourceId, int quantity, int seconds,
                       String me) throws DuplexException {
        HoldCache.Topology before = twoMembers(cache.topology());
        long epoch = stores.knownEpoch() > 0 ? stores.knownEpoch() : stores.checkPrimary().epoch();
        try {
            return place(id, clientId, operationId, resourceId, quantity, seconds, me, before, epoch);
        } catch (StaleEpoch e) {
            // this node is primary at a newer epoch than it remembered (a failback): once more, under that one
            try {
                return place(id, clientId, operationId, resourceId, quantity, seconds, me, before, e.epoch);
            } catch (StaleEpoch again) {
                throw new HoldsUnavailableException("the epoch moved twice while hold " + id + " was placed; resend");
            }
        }
    }

    /** This node is primary, at another epoch than the PENDING entry carried. */
    private static final class StaleEpoch extends Exception {
        private static final long serialVersionUID = 1L;
        final long epoch;

        StaleEpoch(long epoch) {
            super(null, null, false, false);
            this.epoch = epoch;
        }
    }

    private Hold place(String id, String clientId, String operationId, String resourceId, int quantity, int seconds,
                       String me, HoldCache.Topology before, long epoch) throws DuplexException, StaleEpoch {
        try (ResourceGates.Passage gate = gates.enter(resourceId)) {
            long[] capacityAndReserved = stores.capacityAndReserved(resourceId);
            long held = cache.heldUnits(resourceId);
            if (!HoldRules.fits(capacityAndReserved[0], capacityAndReserved[1], held, quantity)) {
                // a demoted node counts the new primary's holds too: it must say it is not the primary, not that
                // the resource is full (found by HoldsIT: a resumed old primary answered overbooking)
                stores.checkPrimary();
                throw new OverbookingException("resource " + resourceId + " has "
                        + (capacityAndReserved[0] - capacityAndReserved[1] - held) + " units available ("
                        + capacityAndReserved[1] + " reserved, " + held + " held); " + quantity + " requested");
            }
            long now = now();
            HoldRecord pending = new HoldRecord(id, clientId, operationId, resourceId, quantity,
                    HoldRules.expiresAtMs(now, seconds), epoch, me, now, Phase.PENDING, null);
            if (cache.putPending(pending, now) != null) {
                throw new HoldsUnavailableException("a request with the same operation id is placing hold " + id
                        + "; resend to get its answer");
            }
            HoldRecord live = pending.inPhase(Phase.LIVE, null);
            boolean isLive = false;
            try {
                EpochState state = stores.checkPrimary();
                if (state.epoch() != epoch) {
                    throw new StaleEpoch(state.epoch());
                }
                // the answer record is written beside the step to LIVE, not after it: one cache round trip less
                CompletableFuture<HoldRecord> answering = cache.putAnswerIfAbsentAsync(live, now());
                try {
                    isLive = cache.replaceLive(pending, live, now());
                } finally {
                    if (!isLive) {
                        takeBack(answering, live);
                    }
                }
                if (!isLive) {
                    throw new NotPrimaryException("the pending hold " + id + " was voided by the primary; resend");
                }
                answered(HoldCache.await(answering), live);
            } finally {
                if (!isLive) {
                    forget(pending);
                }
            }
            HoldCache.Topology after = cache.topology();
            if (after.id() != before.id()) {
                throw new HoldsUnavailableException("the cluster view changed while hold " + id
                        + " was placed; resend to have it confirmed on both nodes");
            }
            meters.placed();
            return live.view(false, now());
        }
    }

    /**
     * The placement made its entry LIVE: its answer record is in place, or the stale one of an earlier
     * placement of the same request (one whose step to LIVE lost to a void) is replaced by it.
     *
     * @param found what the answer write found, null when it wrote
     * @throws HoldsUnavailableException not acknowledged (a closed answer, or the replace lost); a resend decides
     */
    private void answered(HoldRecord found, HoldRecord live) throws HoldsUnavailableException {
        switch (HoldRules.answerFound(found, live)) {
            case NONE -> {
                // in place
            }
            case STALE -> {
                if (!cache.replaceAnswer(found, live, now())) {
                    throw new HoldsUnavailableException("the answer of hold " + live.id() + " changed while it was"
                            + " placed; resend");
                }
            }
            case CLOSED -> throw new HoldsUnavailableException("hold " + live.id() + " was closed while it was placed"
                    + "; resend to be told how");
        }
    }

    /**
     * Best effort: the answer written beside a step to LIVE that failed is removed, once its write has ended.
     * One left behind is never taken for an acknowledgement ({@link HoldRules#unacknowledged}); the sweeper removes it.
     */
    private void takeBack(CompletableFuture<HoldRecord> answering, HoldRecord live) {
        try {
            HoldCache.await(answering);
            cache.removeAnswer(live);
        } catch (DuplexException | RuntimeException e) {
            LOG.log(Level.FINE, "the answer of hold " + live.id() + ", never acknowledged, left to the sweeper", e);
        }
    }

    /**
     * Answers a resend with a LIVE hold: its answer record written first if it has none, or a stale one
     * (which is the acknowledgement, so only with both nodes in the view), then counted as placed.
     */
    private Hold acknowledge(HoldRecord live, boolean duplicate) throws DuplexException {
        HoldRecord answer = cache.answer(live.id());
        if (!live.equals(answer)) {
            twoMembers(cache.topology());
            if (answer == null) {
                cache.putAnswer(live, now());
            } else {
                answered(answer, live);
            }
            meters.placed();
        }
        return live.view(duplicate, now());
    }

    /**
     * Gives a live hold back (see {@code ReservationService.release}).
     *
     * @throws NotPrimaryException this node is not the primary
     */
    public Hold release(String clientId, String operationId, String holdId) throws DuplexException {
        String usedFor = cache.releasedBy(clientId, operationId);
        if (usedFor != null && !usedFor.equals(holdId)) {
            throw new RequestConflictException("operation " + operationId + " of client " + clientId
                    + " was already used to release hold " + usedFor);
        }
        EpochState state = stores.checkPrimary();
        HoldRecord answer = cache.answer(holdId);
        if (answer != null && answer.phase() == Phase.RELEASED && operationId.equals(answer.closedBy())
                && answer.clientId().equals(clientId)) {
            return answer.view(true, now());
        }
        HoldRecord live = usable(HoldRules.forUse(holdId, cache.live(holdId), answer, clientId,
                stores.node().name(), state.epoch(), now()));
        try (ResourceGates.Passage gate = gates.enter(live.resourceId())) {
            // a confirm that committed but died before closing the hold in the cache: the database says so
            String confirmedBy = stores.reservationOperation(holdId);
            if (confirmedBy != null) {
                closeAnswer(live, Phase.CONFIRMED, confirmedBy);
                throw new UnknownHoldException("hold " + holdId + " was confirmed by operation " + confirmedBy);
            }
            String recorded = cache.recordRelease(clientId, operationId, live, now());
            if (recorded != null && !recorded.equals(holdId)) {
                throw new RequestConflictException("operation " + operationId + " of client " + clientId
                        + " was already used to release hold " + recorded);
            }
            HoldRecord released = closeAnswer(live, Phase.RELEASED, operationId);
            meters.released();
            return released.view(false, now());
        }
    }

    /**
     * After a confirm committed: the hold's answer says CONFIRMED and its entry goes. Best effort: if the
     * cache fails here, the entry is counted until the sweeper or its expiry removes it (over-counting, safe),
     * and the reservation row, whose id is the hold's, already answers every later confirm or release.
     */
    public void confirmed(HoldRecord live, String operationId) {
        try {
            closeAnswer(live, Phase.CONFIRMED, operationId);
            meters.confirmed();
        } catch (DuplexException | RuntimeException e) {
            LOG.log(Level.WARNING, "hold " + live.id() + " was confirmed by operation " + operationId
                    + " but could not be closed in the cache; the sweeper will", e);
        }
    }

    /** The answer record made final (answer first, so that nothing acts on the entry any more), then the entry removed. */
    HoldRecord closeAnswer(HoldRecord live, Phase phase, String operationId) throws DuplexException {
        long now = now();
        HoldRecord closed = live.inPhase(phase, operationId);
        HoldRecord answer = cache.answer(live.id());
        if (answer == null) {
            cache.putAnswer(closed, now);
        } else if (!cache.replaceAnswer(answer, closed, now)) {
            throw new HoldsUnavailableException("hold " + live.id() + " changed while it was being closed; resend");
        }
        cache.removeLive(live);
        return closed;
    }

    /** The live holds of a client, soonest expiry first, served by the primary (the read rule of DESIGN.md). */
    public List<Hold> list(String clientId) throws DuplexException {
        stores.checkPrimary();
        long now = now();
        return cache.entries().stream()
                .filter(r -> r.clientId().equals(clientId) && r.phase() == Phase.LIVE)
                .sorted(Comparator.comparingLong(HoldRecord::expiresAtMs).thenComparing(HoldRecord::id))
                .map(r -> r.view(false, now)).toList();
    }

    /** Units this node counts as held on a resource (see {@link HoldRules#heldUnits}). */
    public long heldUnits(String resourceId) throws DuplexException {
        return cache.heldUnits(resourceId);
    }

    /**
     * The live hold a release may act on, or the typed refusal of what was found (see {@link #usable(HoldRules.Verdict, Long)}),
     * a PENDING entry voided only once this node proved itself primary in the stores.
     */
    public HoldRecord usable(HoldRules.Verdict verdict) throws DuplexException {
        return usable(verdict, null);
    }

    /**
     * The live hold a confirm or release may act on, or the typed refusal of what was found. A PENDING entry
     * that can no longer be acknowledged is voided first, and counts as no hold.
     *
     * @param fencedEpoch the epoch the caller's write fence holds, or null: then the void reads the stores first
     *                    (a confirm passes its own, so that no other read joins its XA transaction)
     */
    public HoldRecord usable(HoldRules.Verdict verdict, Long fencedEpoch) throws DuplexException {
        if (verdict instanceof HoldRules.Proceed p) {
            return p.live();
        }
        if (verdict instanceof HoldRules.Expired e) {
            throw new HoldExpiredException("hold " + e.record().id() + " expired at "
                    + java.time.Instant.ofEpochMilli(e.record().expiresAtMs()) + "; its units are available again");
        }
        if (verdict instanceof HoldRules.Unknown u) {
            throw new UnknownHoldException(u.reason());
        }
        if (verdict instanceof HoldRules.VoidFirst v) {
            if (fencedEpoch == null) {
                voidPending(v.pending());
            } else if (HoldRules.voidable(v.pending(), stores.node().name(), fencedEpoch, now())) {
                cache.removeLive(v.pending());
            }
            throw new UnknownHoldException("hold " + v.pending().id() + " was never acknowledged: its placer"
                    + " lost the primary role before it could be; place a new hold");
        }
        throw new HoldsUnavailableException(verdict + "; resend");
    }

    /** The primary voids a PENDING entry (a conditional remove): its placer can no longer make it LIVE. */
    void voidPending(HoldRecord pending) throws DuplexException {
        EpochState state = stores.checkPrimary();
        if (HoldRules.voidable(pending, stores.node().name(), state.epoch(), now())) {
            cache.removeLive(pending);
        }
    }

    /** Best effort: a PENDING entry that will not be made LIVE is removed now rather than voided later. */
    private void forget(HoldRecord pending) {
        try {
            cache.removeLive(pending);
        } catch (DuplexException | RuntimeException e) {
            LOG.log(Level.FINE, "pending hold " + pending.id() + " left to the primary's sweeper", e);
        }
    }

    private static HoldCache.Topology twoMembers(HoldCache.Topology t) throws HoldsUnavailableException {
        if (t.members() < 2) {
            throw new HoldsUnavailableException("the other node is not in the cluster view: a hold is acknowledged"
                    + " only once both nodes have it; nothing was placed, resend later (reservations still work)");
        }
        return t;
    }

    static long now() {
        return System.currentTimeMillis();
    }
}
