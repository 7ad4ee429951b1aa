package org.duplex.checker.judge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
 * Judges what the clients were told against what the stores hold after a run and a heal, in the manner
 * of Jepsen's set checker (every acknowledged add is read back, nothing refused appears) and bank
 * checker (the totals always balance). Histories in, one {@link Verdict} per property out:
 *
 * <ul>
 * <li>{@code lost}: every acknowledged reserve is present in each data database;</li>
 * <li>{@code doubled}: no (client, operation) has two rows, no reservation has two acknowledged
 *     non-duplicate cancels, and no resource released more than its cancels (reserved below the sum of
 *     its active reservations);</li>
 * <li>{@code refused-present}: a reserve refused with a type is absent, a refused cancel not applied;</li>
 * <li>{@code unknown-at-most-once}: an operation whose outcome the client never learned is present at
 *     most once;</li>
 * <li>{@code accounting}: reserved = sum of active reservations <= capacity, per resource and store
 *     (nothing oversold);</li>
 * <li>{@code cancel-applied}: an acknowledged cancel left its reservation cancelled in each data database;</li>
 * <li>{@code identical}: both data databases hold the same resource and reservation rows;</li>
 * <li>{@code no-prepared}: no store holds a prepared transaction;</li>
 * <li>{@code one-writer-per-epoch}: from the epoch and node recorded on every reservation row (and on
 *     every acknowledged answer), at most one node committed at any epoch;</li>
 * <li>{@code stores-answered}: every store given could be read (otherwise the others are judged on
 *     what could be read, and this one fails);</li>
 * <li>{@code holds-kept}, {@code confirm-applied}, {@code never-oversold}: the holds (see {@link HoldVerdicts}),
 *     judged against the {@link HoldsSnapshot} read after the heal.</li>
 * </ul>
 *
 * <p>Holds count in the others too: a confirm is a reservation keyed by its own (client, operation), so a
 * refused confirm must be absent and an unknown one present at most once; a refused hold must not be live.
 *
 * <p>Pure: no I/O. It does not check real-time order (linearizability); only what the final state
 * must show.
 */
public final class HistoryChecker {

    private HistoryChecker() {
    }

    /** {@link #check(List, List, HoldsSnapshot)} without a holds snapshot: for histories without holds. */
    public static List<Verdict> check(List<HistoryRecord> history, List<StoreSnapshot> stores) {
        return check(history, stores, null);
    }

    /**
     * Judges a history.
     *
     * @param history every record of the run(s), in any order
     * @param stores  the stores as read after the heal (db-a, db-b and, when there is one, db-w)
     * @param holds   the holds as the service showed them after the heal; null when none were read (then
     *                {@code holds-kept} and {@code never-oversold} fail if the history has an acknowledged hold)
     * @return one verdict per property, always in the same order
     */
    public static List<Verdict> check(List<HistoryRecord> history, List<StoreSnapshot> stores, HoldsSnapshot holds) {
        Map<String, StoreSnapshot> data = StoreInvariants.dataStores(stores);
        Map<String, Map<OperationKey, List<ReservationRow>>> byKey = new TreeMap<>();
        Map<String, Map<String, ReservationRow>> byId = new TreeMap<>();
        for (StoreSnapshot s : data.values()) {
            Map<OperationKey, List<ReservationRow>> keys = new HashMap<>();
            Map<String, ReservationRow> ids = new HashMap<>();
            for (ReservationRow r : s.reservations()) {
                keys.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
                ids.put(r.id(), r);
            }
            byKey.put(s.store(), keys);
            byId.put(s.store(), ids);
        }
        List<Verdict> verdicts = new ArrayList<>();
        verdicts.add(lost(history, byKey));
        verdicts.add(doubled(history, data.values(), byKey));
        verdicts.add(refusedPresent(history, byKey, byId, holds));
        verdicts.add(unknownAtMostOnce(history, byKey));
        verdicts.add(accounting(data.values()));
        verdicts.add(cancelApplied(history, byId));
        verdicts.add(identical(data));
        verdicts.add(noPrepared(stores));
        verdicts.add(oneWriterPerEpoch(history, data.values()));
        verdicts.add(storesAnswered(stores));
        verdicts.add(HoldVerdicts.holdsKept(history, byId, holds));
        verdicts.add(HoldVerdicts.confirmApplied(history, byId));
        verdicts.add(HoldVerdicts.neverOversold(history, data.values(), holds));
        return verdicts;
    }

    public static boolean passed(List<Verdict> verdicts) {
        return verdicts.stream().allMatch(Verdict::pass);
    }

    private static OperationKey key(HistoryRecord h) {
        return new OperationKey(h.clientId(), h.operationId());
    }

    private static Verdict lost(List<HistoryRecord> history, Map<String, Map<OperationKey, List<ReservationRow>>> byKey) {
        Set<OperationKey> acknowledged = new HashSet<>();
        List<String> examples = new ArrayList<>();
        long missing = 0;
        for (HistoryRecord h : history) {
            if (h.is(Type.RESERVE, Outcome.OK) && acknowledged.add(key(h))) {
                List<String> without = new ArrayList<>();
                byKey.forEach((store, keys) -> {
                    if (!keys.containsKey(key(h))) {
                        without.add(store);
                    }
                });
                if (!without.isEmpty()) {
                    missing++;
                    examples.add(key(h) + " (reservation " + h.reservationId() + ", acknowledged at epoch " + h.epoch()
                            + " by " + h.node() + ") missing from " + String.join(", ", without));
                }
            }
        }
        return verdict("lost", missing == 0, examples, "acknowledged", acknowledged.size(), "missing", missing);
    }

    private static Verdict doubled(List<HistoryRecord> history, Collection<StoreSnapshot> data,
                                   Map<String, Map<OperationKey, List<ReservationRow>>> byKey) {
        List<String> examples = new ArrayList<>();
        long repeated = 0;
        for (StoreSnapshot s : data) {
            for (Map.Entry<OperationKey, Long> e : StoreInvariants.repeatedOperations(s).entrySet()) {
                repeated++;
                examples.add(s.store() + ": " + e.getKey() + " has " + e.getValue() + " reservations");
            }
        }
        Map<String, Set<String>> cancelsApplied = new TreeMap<>();
        for (HistoryRecord h : history) {
            if (h.is(Type.CANCEL, Outcome.OK) && !Boolean.TRUE.equals(h.duplicate())) {
                cancelsApplied.computeIfAbsent(h.reservationId(), id -> new TreeSet<>()).add(h.operationId());
            }
        }
        long cancelledTwice = 0;
        for (Map.Entry<String, Set<String>> e : cancelsApplied.entrySet()) {
            if (e.getValue().size() > 1) {
                cancelledTwice++;
                examples.add("reservation " + e.getKey() + " cancelled by " + e.getValue().size()
                        + " acknowledged, non-duplicate cancels " + e.getValue());
            }
        }
        long overReleased = 0;
        for (StoreSnapshot s : data) {
            for (Accounting a : StoreInvariants.accounting(s)) {
                if (a.overReleased()) {
                    overReleased++;
                    examples.add("released twice? " + a);
                }
            }
        }
        return verdict("doubled", repeated + cancelledTwice + overReleased == 0, examples,
                "repeated-operations", repeated, "cancelled-twice", cancelledTwice, "over-released", overReleased);
    }

    private static Verdict refusedPresent(List<HistoryRecord> history,
                                          Map<String, Map<OperationKey, List<ReservationRow>>> byKey,
                                          Map<String, Map<String, ReservationRow>> byId, HoldsSnapshot holds) {
        List<String> examples = new ArrayList<>();
        Set<OperationKey> live = new HashSet<>();
        if (holds != null) {
            holds.holds().forEach(l -> live.add(new OperationKey(l.clientId(), l.operationId())));
        }
        long refused = 0;
        long present = 0;
        for (HistoryRecord h : history) {
            if (h.outcome() != Outcome.FAIL) {
                continue;
            }
            refused++;
            List<String> holding = new ArrayList<>();
            switch (h.type()) {
                case RESERVE, CONFIRM -> byKey.forEach((store, keys) -> {
                    if (keys.containsKey(key(h))) {
                        holding.add(store);
                    }
                });
                case CANCEL -> byId.forEach((store, ids) -> {
                    ReservationRow r = ids.get(h.reservationId());
                    if (r != null && h.operationId().equals(r.cancelOperationId())) {
                        holding.add(store);
                    }
                });
                case HOLD -> {
                    if (live.contains(key(h))) {
                        holding.add("the live holds");
                    }
                }
                // a refused release leaves no trace to look for: the hold it named lives or lapses as before
                case RELEASE -> { }
            }
            if (!holding.isEmpty()) {
                present++;
                examples.add(h.type().name().toLowerCase(java.util.Locale.ROOT) + " " + key(h) + " refused ("
                        + h.error() + ") but applied in " + String.join(", ", holding));
            }
        }
        return verdict("refused-present", present == 0, examples, "refused", refused, "present", present);
    }

    private static Verdict unknownAtMostOnce(List<HistoryRecord> history,
                                             Map<String, Map<OperationKey, List<ReservationRow>>> byKey) {
        List<String> examples = new ArrayList<>();
        long unknown = 0;
        long present = 0;
        long more = 0;
        for (HistoryRecord h : history) {
            if (!h.is(Type.RESERVE, Outcome.INFO) && !h.is(Type.CONFIRM, Outcome.INFO)) {
                continue;
            }
            unknown++;
            int most = 0;
            for (Map<OperationKey, List<ReservationRow>> keys : byKey.values()) {
                most = Math.max(most, keys.getOrDefault(key(h), List.of()).size());
            }
            if (most > 0) {
                present++;
            }
            if (most > 1) {
                more++;
                examples.add(key(h) + " (outcome unknown to the client) applied " + most + " times");
            }
        }
        return verdict("unknown-at-most-once", more == 0, examples,
                "unknown", unknown, "present", present, "absent", unknown - present, "more-than-once", more);
    }

    private static Verdict accounting(Collection<StoreSnapshot> data) {
        List<String> examples = new ArrayList<>();
        long resources = 0;
        long oversold = 0;
        long unbalanced = 0;
        for (StoreSnapshot s : data) {
            for (Accounting a : StoreInvariants.accounting(s)) {
                resources++;
                if (a.oversold()) {
                    oversold++;
                }
                if (!a.balanced()) {
                    unbalanced++;
                    examples.add(a.toString());
                }
            }
        }
        return verdict("accounting", unbalanced == 0, examples,
                "resource-rows-checked", resources, "oversold", oversold, "unbalanced", unbalanced);
    }

    private static Verdict cancelApplied(List<HistoryRecord> history, Map<String, Map<String, ReservationRow>> byId) {
        List<String> examples = new ArrayList<>();
        long acknowledged = 0;
        long notCancelled = 0;
        for (HistoryRecord h : history) {
            if (!h.is(Type.CANCEL, Outcome.OK)) {
                continue;
            }
            acknowledged++;
            List<String> wrong = new ArrayList<>();
            byId.forEach((store, ids) -> {
                ReservationRow r = ids.get(h.reservationId());
                if (r == null || !ReservationRow.CANCELLED.equals(r.status())) {
                    wrong.add(store + (r == null ? " (no such reservation)" : " (" + r.status() + ")"));
                }
            });
            if (!wrong.isEmpty()) {
                notCancelled++;
                examples.add("cancel " + key(h) + " of reservation " + h.reservationId() + " acknowledged, but not cancelled in "
                        + String.join(", ", wrong));
            }
        }
        return verdict("cancel-applied", notCancelled == 0, examples,
                "acknowledged", acknowledged, "not-cancelled", notCancelled);
    }

    private static Verdict identical(Map<String, StoreSnapshot> data) {
        if (data.size() != 2) {
            return verdict("identical", false, List.of("only " + data.keySet() + " could be read; two data databases are needed"),
                    "data-stores-read", data.size());
        }
        List<StoreSnapshot> both = new ArrayList<>(data.values());
        List<String> resources = StoreInvariants.difference(both.get(0).resources(), both.get(1).resources());
        List<String> reservations = StoreInvariants.difference(both.get(0).reservations(), both.get(1).reservations());
        List<String> examples = new ArrayList<>(resources);
        examples.addAll(reservations);
        return verdict("identical", examples.isEmpty(), examples,
                "resource-rows", both.get(0).resources().size(), "resource-differences", resources.size(),
                "reservation-rows", both.get(0).reservations().size(), "reservation-differences", reservations.size());
    }

    private static Verdict noPrepared(List<StoreSnapshot> stores) {
        List<String> examples = new ArrayList<>();
        for (StoreSnapshot s : stores) {
            s.prepared().forEach(p -> examples.add(s.store() + ": " + p));
        }
        return verdict("no-prepared", examples.isEmpty(), examples, "prepared", examples.size());
    }

    private static Verdict oneWriterPerEpoch(List<HistoryRecord> history, Collection<StoreSnapshot> data) {
        List<ReservationRow> rows = new ArrayList<>();
        data.forEach(s -> rows.addAll(s.reservations()));
        Map<Long, Set<String>> writers = StoreInvariants.writers(rows);
        for (HistoryRecord h : history) {
            if (h.outcome() == Outcome.OK && h.epoch() != null && h.node() != null) {
                writers.computeIfAbsent(h.epoch(), e -> new TreeSet<>()).add(h.node());
            }
        }
        Map<Long, Set<String>> split = StoreInvariants.epochsWithTwoWriters(writers);
        List<String> examples = split.entrySet().stream()
                .map(e -> "epoch " + e.getKey() + " committed by " + e.getValue()).toList();
        return verdict("one-writer-per-epoch", split.isEmpty(), examples,
                "epochs", writers.size(), "epochs-with-two-writers", split.size());
    }

    private static Verdict storesAnswered(List<StoreSnapshot> stores) {
        List<String> examples = stores.stream().filter(s -> !s.readable())
                .map(s -> s.store() + ": " + s.failure()).toList();
        return verdict("stores-answered", examples.isEmpty(), examples,
                "stores", stores.size(), "unreadable", examples.size());
    }

    /** counts as name, value pairs, in order. */
    static Verdict verdict(String property, boolean pass, List<String> examples, Object... counts) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i += 2) {
            map.put((String) counts[i], ((Number) counts[i + 1]).longValue());
        }
        return new Verdict(property, pass, map, examples);
    }
}
