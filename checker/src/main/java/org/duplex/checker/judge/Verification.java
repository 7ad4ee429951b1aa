package org.duplex.checker.judge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The invariants of DESIGN.md over one snapshot of every store, as {@code ./duplex verify} reports
 * them: both data databases hold the same {@code resource} and {@code reservation} rows; every
 * store answers and agrees on the cluster state (epoch, primary, mode, lagging); no store holds a
 * prepared transaction; in sync mode no journal entry is left; in each data database reserved = sum of
 * active reservations <= capacity, and one reservation per (client, operation); with an
 * {@link Expectation}, each data database holds exactly the acknowledged reservations of the loadgen's
 * clients. Degraded mode is a failure: the databases are not both current then.
 *
 * <p>Pure: snapshots in, {@link Check}s out.
 */
public final class Verification {

    private Verification() {
    }

    public static List<Check> checks(List<StoreSnapshot> stores, Expectation expect) {
        List<Check> checks = new ArrayList<>();
        for (StoreSnapshot s : stores) {
            if (!s.readable()) {
                checks.add(Check.fail(s.store() + " does not answer: " + s.failure(), List.of()));
            }
        }
        List<StoreSnapshot> data = new ArrayList<>(StoreInvariants.dataStores(stores).values());
        if (data.size() == 2) {
            StoreSnapshot a = data.get(0);
            StoreSnapshot b = data.get(1);
            checks.add(identical("resource", a, b, a.resources(), b.resources()));
            checks.add(identical("reservation", a, b, a.reservations(), b.reservations()));
            checks.add(identical("inventory_operation", a, b, a.inventoryOperations(), b.inventoryOperations()));
        }
        checks.add(statesAgree(stores));
        for (StoreSnapshot s : stores) {
            if (s.readable()) {
                checks.add(s.prepared().isEmpty()
                        ? Check.ok(s.store() + ": no prepared transaction")
                        : Check.fail(s.store() + " holds " + s.prepared().size() + " prepared transaction(s):", s.prepared()));
            }
        }
        Optional<ClusterStateRow> current = StoreInvariants.current(stores);
        if (current.isPresent() && !current.get().sync()) {
            checks.add(Check.fail("degraded mode: " + current.get().lagging() + " is lagging behind, "
                    + data.stream().mapToLong(StoreSnapshot::journalEntries).sum() + " journal entries waiting", List.of()));
        } else {
            for (StoreSnapshot s : data) {
                checks.add(s.journalEntries() == 0
                        ? Check.ok(s.store() + ": replication journal empty (sync mode)")
                        : Check.fail(s.store() + ": " + s.journalEntries() + " journal entries left in sync mode", List.of()));
            }
        }
        for (StoreSnapshot s : data) {
            checks.add(accounting(s));
            Map<OperationKey, Long> repeated = StoreInvariants.repeatedOperations(s);
            checks.add(repeated.isEmpty()
                    ? Check.ok(s.store() + ": one reservation per (client_id, operation_id)")
                    : Check.fail(s.store() + ": " + repeated.size() + " (client_id, operation_id) with more than one reservation:",
                            repeated.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue() + " rows").toList()));
            if (expect != null) {
                checks.add(expected(s, expect));
            }
        }
        return checks;
    }

    /** True when every check passed. */
    public static boolean passed(List<Check> checks) {
        return checks.stream().allMatch(Check::ok);
    }

    private static <T> Check identical(String table, StoreSnapshot a, StoreSnapshot b, List<T> rowsA, List<T> rowsB) {
        List<String> diff = StoreInvariants.difference(rowsA, rowsB);
        return diff.isEmpty()
                ? Check.ok(table + ": " + rowsA.size() + " rows, identical in " + a.store() + " and " + b.store())
                : Check.fail(table + " differs (< " + a.store() + ", > " + b.store() + "):", diff);
    }

    private static Check statesAgree(List<StoreSnapshot> stores) {
        List<StoreSnapshot> readable = stores.stream().filter(StoreSnapshot::readable).toList();
        Set<ClusterStateRow> distinct = new HashSet<>();
        readable.forEach(s -> distinct.add(s.state()));
        String names = readable.stream().map(StoreSnapshot::store).collect(Collectors.joining(", "));
        if (readable.isEmpty()) {
            return Check.fail("cluster_state: no store could be read", List.of());
        }
        if (distinct.size() == 1 && !distinct.contains(null)) {
            return Check.ok("cluster_state: " + names + " agree: " + distinct.iterator().next());
        }
        return Check.fail("cluster_state: the stores disagree:", readable.stream()
                .map(s -> s.store() + ": " + (s.state() == null ? "no state row" : s.state().toString())).toList());
    }

    private static Check accounting(StoreSnapshot s) {
        List<Accounting> books = StoreInvariants.accounting(s);
        List<String> wrong = books.stream().filter(x -> !x.balanced()).map(Accounting::toString).toList();
        return wrong.isEmpty()
                ? Check.ok(s.store() + ": reserved = sum of active reservations <= capacity for all " + books.size() + " resources")
                : Check.fail(s.store() + ": " + wrong.size() + " resource(s) where reserved is not the sum of active reservations or passes capacity:", wrong);
    }

    private static Check expected(StoreSnapshot s, Expectation expect) {
        Set<String> clients = Set.copyOf(expect.clientIds());
        long rows = s.reservations().stream().filter(r -> clients.contains(r.clientId())).count();
        String text = s.store() + ": " + rows + " reservations for the " + clients.size() + " loadgen clients";
        return rows == expect.acknowledged()
                ? Check.ok(text + " = " + expect.acknowledged() + " acknowledged")
                : Check.fail(text + ", but " + expect.acknowledged() + " were acknowledged", List.of());
    }
}
