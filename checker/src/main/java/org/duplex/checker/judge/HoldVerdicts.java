package org.duplex.checker.judge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.duplex.client.history.HistoryRecord;
import org.duplex.client.history.HistoryRecord.Outcome;
import org.duplex.client.history.HistoryRecord.Type;

/**
 * The hold properties of {@link HistoryChecker} (docs/holds.md): {@code holds-kept}, {@code confirm-applied} and
 * {@code never-oversold}, judged from the history, the data databases and the {@link HoldsSnapshot} read
 * after the heal (null when none was given: then a history with acknowledged holds fails the two that need
 * it). Pure, like the checker.
 */
final class HoldVerdicts {

    private HoldVerdicts() {
    }

    /** What the history says of one hold: its acknowledgements, confirms and releases. */
    private static final class HoldStory {
        final String id;
        final List<HistoryRecord> acknowledged = new ArrayList<>();
        final Set<String> confirmsAcknowledged = new TreeSet<>();
        final Set<String> confirmsSent = new TreeSet<>();
        boolean releaseAcknowledged;
        boolean releaseMaybe;

        HoldStory(String id) {
            this.id = id;
        }

        HistoryRecord first() {
            return acknowledged.get(0);
        }
    }

    /** Every hold id the history names, in the order first named, with what happened to it. */
    private static Map<String, HoldStory> stories(List<HistoryRecord> history) {
        Map<String, HoldStory> stories = new LinkedHashMap<>();
        for (HistoryRecord h : history) {
            if (h.reservationId() == null || (h.type() != Type.HOLD && h.type() != Type.CONFIRM && h.type() != Type.RELEASE)) {
                continue;
            }
            HoldStory s = stories.computeIfAbsent(h.reservationId(), HoldStory::new);
            switch (h.type()) {
                case HOLD -> {
                    if (h.outcome() == Outcome.OK) {
                        s.acknowledged.add(h);
                    }
                }
                case CONFIRM -> {
                    if (h.outcome() != Outcome.FAIL) {
                        s.confirmsSent.add(h.operationId());
                    }
                    if (h.outcome() == Outcome.OK && !Boolean.TRUE.equals(h.duplicate())) {
                        s.confirmsAcknowledged.add(h.operationId());
                    }
                }
                default -> {
                    s.releaseAcknowledged |= h.outcome() == Outcome.OK;
                    s.releaseMaybe |= h.outcome() != Outcome.FAIL;
                }
            }
        }
        return stories;
    }

    /**
     * {@code holds-kept}: every acknowledged hold is, at the end, live (same id and expiry), confirmed (a reservation
     * with its id, resource and quantity in each data database), released (by an acknowledged or unknown release),
     * or past its expiry at {@link HoldsSnapshot#readAtMs()} with no reservation. An acknowledged release whose hold
     * is still listed live fails too; a confirmed hold still listed is only counted (the entry of a confirm whose
     * node died before closing it stays until the sweeper or the expiry removes it, docs/holds.md).
     */
    static Verdict holdsKept(List<HistoryRecord> history, Map<String, Map<String, ReservationRow>> byId,
                             HoldsSnapshot snapshot) {
        Map<String, HoldStory> stories = stories(history);
        Map<String, HoldsSnapshot.LiveHold> live = new HashMap<>();
        if (snapshot != null) {
            snapshot.holds().forEach(h -> live.put(h.id(), h));
        }
        List<String> examples = new ArrayList<>();
        long acknowledged = 0, isLive = 0, confirmed = 0, released = 0, expired = 0, confirmedStillLive = 0;
        long missing = 0, expiryChanged = 0, releasedStillLive = 0, badReservation = 0;
        for (HoldStory s : stories.values()) {
            if (s.acknowledged.isEmpty()) {
                continue;
            }
            acknowledged++;
            HistoryRecord hold = s.first();
            Long expiry = hold.expiresAtMs();
            for (HistoryRecord again : s.acknowledged) {
                if (!java.util.Objects.equals(again.expiresAtMs(), expiry)) {
                    expiryChanged++;
                    examples.add("hold " + s.id + " acknowledged with expiry " + expiry + " and again with " + again.expiresAtMs());
                }
            }
            if (snapshot == null) {
                continue;
            }
            HoldsSnapshot.LiveHold l = live.get(s.id);
            List<String> wrong = new ArrayList<>();
            int present = 0;
            for (Map.Entry<String, Map<String, ReservationRow>> store : byId.entrySet()) {
                ReservationRow r = store.getValue().get(s.id);
                if (r == null) {
                    continue;
                }
                present++;
                if (r.quantity() != hold.quantity() || !r.resourceId().equals(hold.resourceId())
                        || !r.clientId().equals(hold.clientId())) {
                    wrong.add(store.getKey() + " (" + r.clientId() + ", " + r.resourceId() + " x" + r.quantity() + ")");
                }
            }
            if (present > 0) {
                if (present < byId.size() || !wrong.isEmpty()) {
                    badReservation++;
                    examples.add("hold " + s.id + " (" + hold.resourceId() + " x" + hold.quantity() + ") confirmed as "
                            + (wrong.isEmpty() ? "a reservation in " + present + " of " + byId.size() + " data databases"
                            : "another reservation in " + String.join(", ", wrong)));
                } else {
                    confirmed++;
                    if (l != null) {
                        confirmedStillLive++;
                    }
                }
            } else if (l != null) {
                if (expiry == null || l.expiresAtMs() != expiry) {
                    expiryChanged++;
                    examples.add("hold " + s.id + " acknowledged with expiry " + expiry + " is live with " + l.expiresAt());
                } else if (s.releaseAcknowledged) {
                    releasedStillLive++;
                    examples.add("hold " + s.id + " released (acknowledged) but still live until " + l.expiresAt());
                } else {
                    isLive++;
                }
            } else if (s.releaseMaybe) {
                released++;
            } else if (expiry != null && expiry <= snapshot.readAtMs()) {
                expired++;
            } else {
                missing++;
                examples.add("hold " + s.id + " (" + hold.clientId() + ", " + hold.resourceId() + " x" + hold.quantity()
                        + ", acknowledged at epoch " + hold.epoch() + " by " + hold.node() + ", expiring at " + expiry
                        + ") is neither live at " + snapshot.readAtMs() + " nor confirmed nor released");
            }
        }
        boolean judged = snapshot != null || acknowledged == 0;
        if (!judged) {
            examples.add(0, acknowledged + " acknowledged hold(s), but no live holds were given (check --holds)");
        }
        return HistoryChecker.verdict("holds-kept", judged && missing + expiryChanged + releasedStillLive + badReservation == 0,
                examples, "acknowledged", acknowledged, "live", isLive, "confirmed", confirmed, "released", released,
                "expired", expired, "missing", missing, "expiry-changed", expiryChanged,
                "released-still-live", releasedStillLive, "bad-reservation", badReservation,
                "confirmed-still-listed", confirmedStillLive);
    }

    /**
     * {@code confirm-applied}: every acknowledged confirm left the reservation with the hold's id, the confirm's
     * (client, operation), the hold's resource and quantity in each data database; and never two: no hold has
     * two acknowledged non-duplicate confirms under different operation ids, and no reservation with a
     * confirmed hold's id was made by an operation that never confirmed it.
     */
    static Verdict confirmApplied(List<HistoryRecord> history, Map<String, Map<String, ReservationRow>> byId) {
        Map<String, HoldStory> stories = stories(history);
        List<String> examples = new ArrayList<>();
        long acknowledged = 0, notApplied = 0, twice = 0;
        for (HistoryRecord h : history) {
            if (!h.is(Type.CONFIRM, Outcome.OK)) {
                continue;
            }
            acknowledged++;
            List<String> wrong = new ArrayList<>();
            byId.forEach((store, ids) -> {
                ReservationRow r = ids.get(h.reservationId());
                if (r == null) {
                    wrong.add(store + " (no reservation)");
                } else if (!r.key().equals(new OperationKey(h.clientId(), h.operationId()))
                        || r.quantity() != h.quantity() || !r.resourceId().equals(h.resourceId())) {
                    wrong.add(store + " (" + r.key() + ", " + r.resourceId() + " x" + r.quantity() + ")");
                }
            });
            if (!wrong.isEmpty()) {
                notApplied++;
                examples.add("confirm " + new OperationKey(h.clientId(), h.operationId()) + " of hold " + h.reservationId()
                        + " (" + h.resourceId() + " x" + h.quantity() + ") acknowledged, but " + String.join(", ", wrong));
            }
        }
        for (HoldStory s : stories.values()) {
            if (s.confirmsAcknowledged.size() > 1) {
                twice++;
                examples.add("hold " + s.id + " confirmed by " + s.confirmsAcknowledged.size()
                        + " acknowledged, non-duplicate confirms " + s.confirmsAcknowledged);
                continue;
            }
            if (s.confirmsSent.isEmpty()) {
                continue;
            }
            for (Map.Entry<String, Map<String, ReservationRow>> store : byId.entrySet()) {
                ReservationRow r = store.getValue().get(s.id);
                if (r != null && !s.confirmsSent.contains(r.operationId())) {
                    twice++;
                    examples.add(store.getKey() + ": hold " + s.id + " is a reservation of operation " + r.operationId()
                            + ", which never confirmed it (its confirms: " + s.confirmsSent + ")");
                    break;
                }
            }
        }
        return HistoryChecker.verdict("confirm-applied", notApplied + twice == 0, examples,
                "acknowledged", acknowledged, "not-applied", notApplied, "confirmed-twice", twice);
    }

    /**
     * {@code never-oversold}, on the end state: per resource and data database, reserved (the store's) + held (the
     * primary's count) <= capacity; and no resource counts fewer held units than its listed live holds keep.
     */
    static Verdict neverOversold(List<HistoryRecord> history, Collection<StoreSnapshot> data, HoldsSnapshot snapshot) {
        List<String> examples = new ArrayList<>();
        Map<String, Long> held = snapshot == null ? Map.of() : snapshot.held();
        long rows = 0, oversold = 0, underCounted = 0, heldUnits = 0;
        for (long units : held.values()) {
            heldUnits += units;
        }
        for (StoreSnapshot s : data) {
            for (ResourceRow r : s.resources()) {
                rows++;
                long h = held.getOrDefault(r.id(), 0L);
                if (r.reserved() + h > r.capacity()) {
                    oversold++;
                    examples.add(s.store() + ": " + r.id() + " reserved " + r.reserved() + " + held " + h + " > capacity "
                            + r.capacity());
                }
            }
        }
        if (snapshot != null) {
            for (Map.Entry<String, Long> listed : new TreeMap<>(snapshot.listedUnits()).entrySet()) {
                long counted = held.getOrDefault(listed.getKey(), 0L);
                if (listed.getValue() > counted) {
                    underCounted++;
                    examples.add(listed.getKey() + ": live holds keep " + listed.getValue() + " unit(s), held counts " + counted);
                }
            }
        }
        boolean holdsAcknowledged = history.stream().anyMatch(h -> h.is(Type.HOLD, Outcome.OK));
        boolean judged = snapshot != null || !holdsAcknowledged;
        if (!judged) {
            examples.add(0, "holds were acknowledged, but no held counts were given (check --holds)");
        }
        return HistoryChecker.verdict("never-oversold", judged && oversold + underCounted == 0, examples,
                "resource-rows-checked", rows, "held-units", heldUnits, "oversold", oversold, "under-counted", underCounted);
    }
}
