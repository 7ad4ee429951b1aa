package org.duplex.checker.judge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The invariants of DESIGN.md ("checked by ./duplex verify") as functions of store snapshots, shared
 * by {@link Verification} and {@link HistoryChecker}. Pure: no I/O.
 */
public final class StoreInvariants {

    private StoreInvariants() {
    }

    /**
     * The rows only one side holds, in order: {@code "< row"} only in {@code a}, {@code "> row"} only in
     * {@code b}, as diff prints them. Empty when both hold the same rows.
     */
    public static <T> List<String> difference(List<T> a, List<T> b) {
        Set<T> inA = new LinkedHashSet<>(a);
        Set<T> inB = new LinkedHashSet<>(b);
        List<String> lines = new ArrayList<>();
        for (T row : a) {
            if (!inB.contains(row)) {
                lines.add("< " + row);
            }
        }
        for (T row : b) {
            if (!inA.contains(row)) {
                lines.add("> " + row);
            }
        }
        return lines;
    }

    /** Each resource's books in this data store, by resource id. */
    public static List<Accounting> accounting(StoreSnapshot store) {
        Map<String, Long> active = new HashMap<>();
        for (ReservationRow r : store.reservations()) {
            if (r.active()) {
                active.merge(r.resourceId(), (long) r.quantity(), Long::sum);
            }
        }
        return store.resources().stream()
                .sorted(Comparator.comparing(ResourceRow::id))
                .map(res -> new Accounting(store.store(), res.id(), res.capacity(), res.reserved(),
                        active.getOrDefault(res.id(), 0L)))
                .toList();
    }

    /** The (client, operation) keys held by more than one reservation row, with their row counts. */
    public static Map<OperationKey, Long> repeatedOperations(StoreSnapshot store) {
        Map<OperationKey, Long> counts = store.reservations().stream()
                .collect(Collectors.groupingBy(ReservationRow::key, Collectors.counting()));
        counts.values().removeIf(n -> n < 2);
        return counts;
    }

    /** The state with the highest epoch among the stores that answered: what the cluster is in now. */
    public static Optional<ClusterStateRow> current(List<StoreSnapshot> stores) {
        return stores.stream().filter(StoreSnapshot::readable).map(StoreSnapshot::state)
                .filter(s -> s != null).max(Comparator.comparingLong(ClusterStateRow::epoch));
    }

    /** Each epoch at which more than one node committed a reservation, with those nodes. */
    public static Map<Long, Set<String>> epochsWithTwoWriters(Map<Long, Set<String>> writers) {
        Map<Long, Set<String>> split = new TreeMap<>(writers);
        split.values().removeIf(nodes -> nodes.size() < 2);
        return split;
    }

    /** Epoch -> the nodes that committed at it, from the epoch and node columns of every row given. */
    public static Map<Long, Set<String>> writers(List<ReservationRow> rows) {
        Map<Long, Set<String>> writers = new TreeMap<>();
        for (ReservationRow r : rows) {
            writers.computeIfAbsent(r.epoch(), e -> new java.util.TreeSet<>()).add(r.node());
        }
        return writers;
    }

    /** The readable data stores, by name. */
    public static Map<String, StoreSnapshot> dataStores(List<StoreSnapshot> stores) {
        return stores.stream().filter(s -> s.dataStore() && s.readable())
                .collect(Collectors.toMap(StoreSnapshot::store, Function.identity(), (x, y) -> x, TreeMap::new));
    }
}
