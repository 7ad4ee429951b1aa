package org.duplex.checker.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class VerificationTest {

    static final ClusterStateRow STATE = HistoryCheckerTest.STATE;

    static List<String> failures(List<Check> checks) {
        return checks.stream().filter(c -> !c.ok()).map(Check::text).toList();
    }

    @Test
    void identicalBalancedStoresPassWithTheLauncherLines() {
        List<StoreSnapshot> stores = HistoryCheckerTest.stores(HistoryCheckerTest.data("db-a", 1, HistoryCheckerTest.cleanRows()),
                HistoryCheckerTest.data("db-b", 1, HistoryCheckerTest.cleanRows()));
        List<Check> checks = Verification.checks(stores, new Expectation(List.of("c0"), 2));
        assertEquals(List.of(), failures(checks));
        assertTrue(Verification.passed(checks));
        assertTrue(checks.get(0).render().startsWith("ok    resource: 1 rows, identical in db-a and db-b"), checks.get(0).render());
        assertTrue(checks.stream().anyMatch(c -> c.text().equals("db-w: no prepared transaction")));
        assertTrue(checks.stream().anyMatch(c -> c.text().startsWith("cluster_state: db-a, db-b, db-w agree: epoch 3")));
    }

    @Test
    void aSilentWitnessADivergentStateAndAShortCountEachFailWithoutACrash() {
        StoreSnapshot a = HistoryCheckerTest.data("db-a", 1, HistoryCheckerTest.cleanRows());
        StoreSnapshot b = new StoreSnapshot("db-b", true, null, a.resources(), a.reservations(),
                new ClusterStateRow(4, "node-b", "sync", null), List.of(), 0);
        List<Check> checks = Verification.checks(List.of(a, b, StoreSnapshot.unreadable("db-w", false, "timeout")),
                new Expectation(List.of("c0"), 3));
        List<String> failed = failures(checks);
        assertEquals(4, failed.size(), failed.toString());
        assertTrue(failed.get(0).startsWith("db-w does not answer"), failed.toString());
        assertTrue(failed.contains("cluster_state: the stores disagree:"), failed.toString());
        assertFalse(Verification.passed(checks));
    }

    @Test
    void differingRowsAreListedAsDiffPrintsThem() {
        StoreSnapshot a = HistoryCheckerTest.data("db-a", 1, HistoryCheckerTest.cleanRows());
        StoreSnapshot b = HistoryCheckerTest.data("db-b", 2, HistoryCheckerTest.cleanRows());
        Check resource = Verification.checks(HistoryCheckerTest.stores(a, b), null).get(0);
        assertFalse(resource.ok());
        assertEquals(2, resource.details().size());
        assertTrue(resource.details().get(0).startsWith("< "));
        assertTrue(resource.details().get(1).startsWith("> "));
    }

    @Test
    void anInventoryWriteInOneDatabaseOnlyFails() {
        StoreSnapshot a = HistoryCheckerTest.data("db-a", 1, HistoryCheckerTest.cleanRows());
        StoreSnapshot b = HistoryCheckerTest.data("db-b", 1, HistoryCheckerTest.cleanRows());
        String op = "9f1c admin op-1 CAPACITY room-1 20 3 Room 1 1 4 2026-11-30 18:00:00+00 3 node-a";
        StoreSnapshot withOp = new StoreSnapshot("db-a", true, null, a.resources(), a.reservations(), a.state(), a.prepared(),
                a.journalEntries(), List.of(op));
        List<String> failed = failures(Verification.checks(HistoryCheckerTest.stores(withOp, b), null));
        assertEquals(List.of("inventory_operation differs (< db-a, > db-b):"), failed, failed.toString());
    }

    @Test
    void degradedModeFails() {
        ClusterStateRow degraded = new ClusterStateRow(5, "node-a", "degraded", "db-b");
        StoreSnapshot a = new StoreSnapshot("db-a", true, null, List.of(), List.of(), degraded, List.of(), 3);
        StoreSnapshot b = new StoreSnapshot("db-b", true, null, List.of(), List.of(), degraded, List.of(), 0);
        List<String> failed = failures(Verification.checks(List.of(a, b, StoreSnapshot.witness("db-w", degraded, List.of())), null));
        assertEquals(List.of("degraded mode: db-b is lagging behind, 3 journal entries waiting"), failed);
    }
}
