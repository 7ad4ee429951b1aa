package org.duplex.checker.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.duplex.client.history.HistoryRecord;
import org.duplex.client.history.HistoryRecord.Outcome;
import org.duplex.client.history.HistoryRecord.Type;
import org.junit.jupiter.api.Test;

class HistoryCheckerTest {

    static final ClusterStateRow STATE = new ClusterStateRow(3, "node-a", "sync", null);

    static HistoryRecord op(Type type, String op, String reservation, Outcome outcome, Long epoch, String node, String error) {
        return new HistoryRecord("run", 0, type, "c0", op, "room-1", 1, reservation, outcome, 0, 1, 0, 1,
                epoch, node, outcome == Outcome.OK ? Boolean.FALSE : null, error, null);
    }

    static ReservationRow row(String id, String op, String status, long epoch, String node, String cancelOp) {
        return new ReservationRow(id, "c0", op, "room-1", 1, status, "2026-01-01 00:00:00+00", epoch, node,
                cancelOp, cancelOp == null ? null : "2026-01-01 00:00:01+00");
    }

    /** reserve r1 ok, reserve refused, reserve unknown (applied), cancel of r1 ok: the clean run. */
    static List<HistoryRecord> cleanHistory() {
        return new ArrayList<>(List.of(
                op(Type.RESERVE, "op1", "r1", Outcome.OK, 3L, "node-a", null),
                op(Type.RESERVE, "op2", null, Outcome.FAIL, null, null, "overbooking"),
                op(Type.RESERVE, "op3", null, Outcome.INFO, null, null, "gave-up"),
                op(Type.CANCEL, "op4", "r1", Outcome.OK, 3L, "node-a", null)));
    }

    static List<ReservationRow> cleanRows() {
        return new ArrayList<>(List.of(
                row("r1", "op1", ReservationRow.CANCELLED, 3, "node-a", "op4"),
                row("r3", "op3", ReservationRow.ACTIVE, 3, "node-a", null)));
    }

    static StoreSnapshot data(String store, long reserved, List<ReservationRow> rows) {
        return new StoreSnapshot(store, true, null, List.of(new ResourceRow("room-1", "Room 1", 10, reserved, 4)),
                rows, STATE, List.of(), 0);
    }

    static List<StoreSnapshot> stores(StoreSnapshot a, StoreSnapshot b) {
        return List.of(a, b, StoreSnapshot.witness("db-w", STATE, List.of()));
    }

    static Map<String, Verdict> judge(List<HistoryRecord> history, List<StoreSnapshot> stores) {
        return HistoryChecker.check(history, stores).stream()
                .collect(Collectors.toMap(Verdict::property, v -> v));
    }

    static List<String> failing(Map<String, Verdict> verdicts) {
        return verdicts.values().stream().filter(v -> !v.pass()).map(Verdict::property).sorted().toList();
    }

    @Test
    void aCleanHistoryPassesEveryProperty() {
        Map<String, Verdict> v = judge(cleanHistory(), stores(data("db-a", 1, cleanRows()), data("db-b", 1, cleanRows())));
        assertEquals(List.of(), failing(v));
        assertEquals(10, v.size());
        assertEquals(1L, v.get("lost").counts().get("acknowledged"));
        assertEquals(1L, v.get("unknown-at-most-once").counts().get("present"));
        assertEquals(1L, v.get("refused-present").counts().get("refused"));
        assertEquals(1L, v.get("cancel-applied").counts().get("acknowledged"));
        assertTrue(HistoryChecker.passed(HistoryChecker.check(cleanHistory(),
                stores(data("db-a", 1, cleanRows()), data("db-b", 1, cleanRows())))));
    }

    @Test
    void anAcknowledgedReservationMissingFromOneDatabaseIsLost() {
        List<HistoryRecord> history = cleanHistory();
        history.add(op(Type.RESERVE, "op5", "r5", Outcome.OK, 3L, "node-a", null));
        List<ReservationRow> withIt = cleanRows();
        withIt.add(row("r5", "op5", ReservationRow.ACTIVE, 3, "node-a", null));
        Map<String, Verdict> v = judge(history, stores(data("db-a", 2, withIt), data("db-b", 1, cleanRows())));
        assertEquals(List.of("identical", "lost"), failing(v));
        assertEquals(1L, v.get("lost").counts().get("missing"));
        assertTrue(v.get("lost").examples().get(0).contains("missing from db-b"), v.get("lost").examples().toString());
    }

    @Test
    void twoReservationsForOneOperationAreDoubledAndAnUnknownAppliedTwiceToo() {
        List<ReservationRow> rows = cleanRows();
        rows.add(row("r3bis", "op3", ReservationRow.ACTIVE, 3, "node-a", null));
        Map<String, Verdict> v = judge(cleanHistory(), stores(data("db-a", 2, rows), data("db-b", 2, rows)));
        assertEquals(List.of("doubled", "unknown-at-most-once"), failing(v));
        assertEquals(2L, v.get("doubled").counts().get("repeated-operations"));
        assertEquals(1L, v.get("unknown-at-most-once").counts().get("more-than-once"));
    }

    @Test
    void aCancelAppliedTwiceReleasesTwiceAndIsDoubled() {
        List<HistoryRecord> history = cleanHistory();
        history.add(op(Type.CANCEL, "op6", "r1", Outcome.OK, 3L, "node-a", null));
        // the second cancel released r1's unit again: reserved 0 where the active reservations hold 1
        Map<String, Verdict> v = judge(history, stores(data("db-a", 0, cleanRows()), data("db-b", 0, cleanRows())));
        assertEquals(List.of("accounting", "doubled"), failing(v));
        assertEquals(1L, v.get("doubled").counts().get("cancelled-twice"));
        assertEquals(2L, v.get("doubled").counts().get("over-released"));
    }

    @Test
    void moreReservedThanCapacityIsOversold() {
        List<ReservationRow> rows = cleanRows();
        for (int i = 0; i < 10; i++) {
            rows.add(row("x" + i, "other-" + i, ReservationRow.ACTIVE, 3, "node-a", null));
        }
        Map<String, Verdict> v = judge(cleanHistory(), stores(data("db-a", 11, rows), data("db-b", 11, rows)));
        assertEquals(List.of("accounting"), failing(v));
        assertEquals(2L, v.get("accounting").counts().get("oversold"));
    }

    @Test
    void aRefusedReservationThatIsPresentIsFound() {
        List<ReservationRow> rows = cleanRows();
        rows.add(row("r2", "op2", ReservationRow.ACTIVE, 3, "node-a", null));
        Map<String, Verdict> v = judge(cleanHistory(), stores(data("db-a", 2, rows), data("db-b", 2, rows)));
        assertEquals(List.of("refused-present"), failing(v));
        assertEquals(1L, v.get("refused-present").counts().get("present"));
    }

    @Test
    void twoNodesCommittingAtOneEpochAreFoundFromRowsAndAnswers() {
        List<ReservationRow> rows = cleanRows();
        rows.add(row("r7", "op7", ReservationRow.ACTIVE, 3, "node-b", null));
        List<HistoryRecord> history = cleanHistory();
        history.add(op(Type.RESERVE, "op7", "r7", Outcome.OK, 3L, "node-b", null));
        history.add(op(Type.RESERVE, "op8", "r8", Outcome.OK, 4L, "node-b", null));
        List<ReservationRow> withR8 = new ArrayList<>(rows);
        withR8.add(row("r8", "op8", ReservationRow.ACTIVE, 4, "node-b", null));
        Map<String, Verdict> v = judge(history, stores(data("db-a", 3, withR8), data("db-b", 3, withR8)));
        assertEquals(List.of("one-writer-per-epoch"), failing(v));
        assertEquals(1L, v.get("one-writer-per-epoch").counts().get("epochs-with-two-writers"));
        assertEquals(2L, v.get("one-writer-per-epoch").counts().get("epochs"));
    }

    @Test
    void anAcknowledgedCancelLeftActiveAPreparedTransactionAndASilentStoreEachFail() {
        List<ReservationRow> notCancelled = List.of(
                row("r1", "op1", ReservationRow.ACTIVE, 3, "node-a", null),
                row("r3", "op3", ReservationRow.ACTIVE, 3, "node-a", null));
        StoreSnapshot a = data("db-a", 2, notCancelled);
        StoreSnapshot b = new StoreSnapshot("db-b", true, null, a.resources(), notCancelled, STATE, List.of("gid-1"), 0);
        List<StoreSnapshot> stores = List.of(a, b, StoreSnapshot.unreadable("db-w", false, "connection refused"));
        Map<String, Verdict> v = judge(cleanHistory(), stores);
        assertEquals(List.of("cancel-applied", "no-prepared", "stores-answered"), failing(v));
        assertFalse(HistoryChecker.passed(HistoryChecker.check(cleanHistory(), stores)));
    }
}
