package org.duplex.reservation.holds;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.holds.HoldRecord.Phase;
import org.duplex.reservation.replication.EpochState;

/**
 * The primary's housekeeping of the holds caches, every two seconds: voids PENDING entries that can no
 * longer be acknowledged, removes the entries of holds already closed (a confirm or release that died half
 * way) and the answers of placements never acknowledged ({@link HoldRules#staleAnswer}), and marks the
 * answers of holds Infinispan has expired EXPIRED, counting them ({@code duplex_holds_total{event="expired"}}).
 * It decides nothing about availability: Infinispan's expiration frees a hold's units at its expiry whether
 * this runs or not. Only the node the stores name primary sweeps; a failed round is simply the next round's work.
 */
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class HoldSweeper {

    private static final Logger LOG = Logger.getLogger(HoldSweeper.class.getName());

    @Inject
    HoldCache cache;

    @Inject
    HoldStores stores;

    @Inject
    HoldMeters meters;

    @Schedule(second = "*/2", minute = "*", hour = "*", persistent = false, info = "duplex holds sweeper")
    void sweep() {
        EpochState state;
        try {
            state = stores.primaryStateQuietly();
        } catch (DuplexException | RuntimeException storesSilent) {
            return;
        }
        if (state == null) {
            // not the primary: only the primary sweeps
            return;
        }
        try {
            sweep(state.epoch(), Holds.now());
        } catch (DuplexException | RuntimeException e) {
            LOG.log(Level.FINE, "holds sweep stopped; the next one goes on", e);
        }
    }

    private void sweep(long epoch, long now) throws DuplexException {
        String me = stores.node().name();
        Map<String, HoldRecord> entries = new HashMap<>();
        for (HoldRecord e : cache.entries()) {
            if (HoldRules.voidable(e, me, epoch, now)) {
                cache.removeLive(e);
            } else {
                entries.put(e.id(), e);
            }
        }
        for (HoldRecord answer : cache.answers()) {
            HoldRecord entry = entries.get(answer.id());
            if (entry != null && HoldRules.closed(answer)) {
                cache.removeLive(entry);
            } else if (HoldRules.staleAnswer(answer, entry, now)) {
                cache.removeAnswer(answer);
            } else if (entry == null && answer.phase() == Phase.LIVE && now >= answer.expiresAtMs()) {
                String confirmedBy = stores.reservationOperation(answer.id());
                HoldRecord closed = confirmedBy != null ? answer.inPhase(Phase.CONFIRMED, confirmedBy)
                        : answer.inPhase(Phase.EXPIRED, null);
                if (cache.replaceAnswer(answer, closed, now) && confirmedBy == null) {
                    meters.expired();
                }
            }
        }
    }
}
