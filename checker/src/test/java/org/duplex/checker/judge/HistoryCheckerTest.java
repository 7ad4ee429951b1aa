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
                epoch, node, outcome == Outcome.OK ? Boolean.FALSE : null, error, null, null);
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
        assertEquals(13, v.size());
        assertEquals(0L, v.get("holds-kept").counts().get("acknowledged"));
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
        // never-oversold judges reserved + held: with nothing held it fails with accounting
        assertEquals(List.of("accounting", "never-oversold"), failing(v));
        assertEquals(2L, v.get("accounting").counts().get("oversold"));
        assertEquals(2L, v.get("never-oversold").counts().get("oversold"));
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

    // ---------------------------------------------------------------- holds

    static final long EXPIRY = 1_700_000_020_000L;

    /** A hold record: its id in reservationId, the expiry when acknowledged (and for confirm and release, the hold's). */
    static HistoryRecord hold(Type type, String op, String holdId, Outcome outcome, String error) {
        boolean ok = outcome == Outcome.OK;
        return new HistoryRecord("run", 0, type, "c0", op, "room-1", 2, holdId, outcome, 0, 1, 0, 1,
                ok ? 3L : null, ok ? "node-a" : null, ok ? Boolean.FALSE : null, error, null,
                type == Type.HOLD && !ok ? null : EXPIRY);
    }

    static HoldsSnapshot.LiveHold live(String id, String op, long expiresAtMs) {
        return new HoldsSnapshot.LiveHold(id, "c0", op, "room-1", 2, java.time.Instant.ofEpochMilli(expiresAtMs).toString());
    }

    /**
     * h1 live, h2 confirmed by op-c2, h3 released, h4 expired, h5 placed with the outcome unknown, h6 refused:
     * every fate a hold may have. At readAtMs EXPIRY + 1 nothing that expires at EXPIRY is still live.
     */
    static List<HistoryRecord> holdHistory() {
        List<HistoryRecord> history = cleanHistory();
        for (String n : List.of("1", "2", "3", "4")) {
            history.add(hold(Type.HOLD, "op-h" + n, "h" + n, Outcome.OK, null));
        }
        history.add(hold(Type.HOLD, "op-h5", null, Outcome.INFO, "gave-up"));
        history.add(hold(Type.HOLD, "op-h6", null, Outcome.FAIL, "overbooking"));
        history.add(hold(Type.CONFIRM, "op-c2", "h2", Outcome.OK, null));
        history.add(hold(Type.RELEASE, "op-r3", "h3", Outcome.OK, null));
        return history;
    }

    /** cleanRows plus h2 confirmed: reserved 1 (r3) + 2 (h2). */
    static List<ReservationRow> holdRows() {
        List<ReservationRow> rows = cleanRows();
        rows.add(new ReservationRow("h2", "c0", "op-c2", "room-1", 2, ReservationRow.ACTIVE, "2026-01-01 00:00:02+00", 3,
                "node-a", null, null));
        return rows;
    }

    static HoldsSnapshot snapshot(long readAtMs, long held, HoldsSnapshot.LiveHold... live) {
        return new HoldsSnapshot(readAtMs, held == 0 ? Map.of() : Map.of("room-1", held), List.of(live));
    }

    static Map<String, Verdict> judgeHolds(List<HistoryRecord> history, List<ReservationRow> rows, long reserved,
                                           HoldsSnapshot snapshot) {
        return HistoryChecker.check(history, stores(data("db-a", reserved, rows), data("db-b", reserved, rows)), snapshot)
                .stream().collect(Collectors.toMap(Verdict::property, v -> v));
    }

    @Test
    void everyFateOfAnAcknowledgedHoldIsKept() {
        // before the expiry: h1 and h4 both live
        Map<String, Verdict> v = judgeHolds(holdHistory(), holdRows(), 3,
                snapshot(EXPIRY - 5_000, 4, live("h1", "op-h1", EXPIRY), live("h4", "op-h4", EXPIRY)));
        assertEquals(List.of(), failing(v));
        assertEquals(Map.of("acknowledged", 4L, "live", 2L, "confirmed", 1L, "released", 1L, "expired", 0L),
                pick(v.get("holds-kept"), "acknowledged", "live", "confirmed", "released", "expired"));
        assertEquals(1L, v.get("confirm-applied").counts().get("acknowledged"));
        assertEquals(4L, v.get("never-oversold").counts().get("held-units"));
        // after it: nothing live, h1 and h4 expired
        Map<String, Verdict> after = judgeHolds(holdHistory(), holdRows(), 3, snapshot(EXPIRY + 1, 0));
        assertEquals(List.of(), failing(after));
        assertEquals(2L, after.get("holds-kept").counts().get("expired"));
    }

    static Map<String, Long> pick(Verdict v, String... names) {
        Map<String, Long> m = new java.util.HashMap<>();
        for (String n : names) {
            m.put(n, v.counts().get(n));
        }
        return m;
    }

    @Test
    void anAcknowledgedHoldGoneBeforeItsExpiryIsMissing() {
        Map<String, Verdict> v = judgeHolds(holdHistory(), holdRows(), 3, snapshot(EXPIRY - 5_000, 2, live("h4", "op-h4", EXPIRY)));
        assertEquals(List.of("holds-kept"), failing(v));
        assertEquals(1L, v.get("holds-kept").counts().get("missing"));
        assertTrue(v.get("holds-kept").examples().get(0).startsWith("hold h1 "), v.get("holds-kept").examples().toString());
    }

    @Test
    void aLiveHoldWithAnotherExpiryOrAReleasedHoldStillLiveIsNotKept() {
        Map<String, Verdict> v = judgeHolds(holdHistory(), holdRows(), 3, snapshot(EXPIRY - 5_000, 6,
                live("h1", "op-h1", EXPIRY + 60_000), live("h3", "op-h3", EXPIRY), live("h4", "op-h4", EXPIRY)));
        assertEquals(List.of("holds-kept"), failing(v));
        assertEquals(1L, v.get("holds-kept").counts().get("expiry-changed"));
        assertEquals(1L, v.get("holds-kept").counts().get("released-still-live"));
    }

    @Test
    void anUnknownReleaseMayHaveReleasedTheHold() {
        List<HistoryRecord> history = holdHistory();
        history.add(hold(Type.RELEASE, "op-r1", "h1", Outcome.INFO, "gave-up"));
        Map<String, Verdict> v = judgeHolds(history, holdRows(), 3, snapshot(EXPIRY - 5_000, 2, live("h4", "op-h4", EXPIRY)));
        assertEquals(List.of(), failing(v));
        assertEquals(2L, v.get("holds-kept").counts().get("released"));
    }

    @Test
    void anAcknowledgedConfirmMissingFromOneDatabaseIsNotAppliedAndTheHoldNotKept() {
        List<ReservationRow> withoutH2 = cleanRows();
        Map<String, Verdict> v = HistoryChecker.check(holdHistory(),
                stores(data("db-a", 3, holdRows()), data("db-b", 1, withoutH2)), snapshot(EXPIRY + 1, 0))
                .stream().collect(Collectors.toMap(Verdict::property, x -> x));
        assertEquals(List.of("confirm-applied", "holds-kept", "identical"), failing(v));
        assertEquals(1L, v.get("confirm-applied").counts().get("not-applied"));
        assertEquals(1L, v.get("holds-kept").counts().get("bad-reservation"));
    }

    @Test
    void aHoldConfirmedTwiceOrByAStrangerIsFound() {
        List<HistoryRecord> twice = holdHistory();
        twice.add(hold(Type.CONFIRM, "op-c2bis", "h2", Outcome.OK, null));
        Map<String, Verdict> v = judgeHolds(twice, holdRows(), 3, snapshot(EXPIRY + 1, 0));
        assertEquals(List.of("confirm-applied"), failing(v));
        assertEquals(1L, v.get("confirm-applied").counts().get("confirmed-twice"));

        List<ReservationRow> stranger = cleanRows();
        stranger.add(new ReservationRow("h2", "c0", "op-other", "room-1", 2, ReservationRow.ACTIVE, "2026-01-01 00:00:02+00", 3,
                "node-a", null, null));
        List<HistoryRecord> unknownConfirm = holdHistory();
        unknownConfirm.removeIf(h -> h.type() == Type.CONFIRM);
        unknownConfirm.add(hold(Type.CONFIRM, "op-c2", "h2", Outcome.INFO, "gave-up"));
        Map<String, Verdict> w = judgeHolds(unknownConfirm, stranger, 3, snapshot(EXPIRY + 1, 0));
        assertEquals(List.of("confirm-applied"), failing(w));
        assertTrue(w.get("confirm-applied").examples().get(0).contains("never confirmed it"), w.get("confirm-applied").examples().toString());
    }

    @Test
    void heldUnitsOnTopOfReservedBeyondTheCapacityAreOversold() {
        // capacity 10, reserved 3: 8 held is one too many; and a live hold the count does not include is under-counted
        Map<String, Verdict> v = judgeHolds(holdHistory(), holdRows(), 3,
                snapshot(EXPIRY - 5_000, 8, live("h1", "op-h1", EXPIRY), live("h4", "op-h4", EXPIRY)));
        assertEquals(List.of("never-oversold"), failing(v));
        assertEquals(2L, v.get("never-oversold").counts().get("oversold"));
        Map<String, Verdict> w = judgeHolds(holdHistory(), holdRows(), 3,
                snapshot(EXPIRY - 5_000, 2, live("h1", "op-h1", EXPIRY), live("h4", "op-h4", EXPIRY)));
        assertEquals(List.of("never-oversold"), failing(w));
        assertEquals(1L, w.get("never-oversold").counts().get("under-counted"));
    }

    @Test
    void aRefusedHoldThatIsLiveAndARefusedConfirmThatIsAReservationArePresent() {
        List<HistoryRecord> history = holdHistory();
        history.add(hold(Type.CONFIRM, "op-c1", "h1", Outcome.FAIL, "hold-expired"));
        List<ReservationRow> rows = holdRows();
        rows.add(new ReservationRow("h1", "c0", "op-c1", "room-1", 2, ReservationRow.ACTIVE, "2026-01-01 00:00:03+00", 3,
                "node-a", null, null));
        Map<String, Verdict> v = judgeHolds(history, rows, 5,
                snapshot(EXPIRY - 5_000, 4, live("h4", "op-h4", EXPIRY), live("h6", "op-h6", EXPIRY)));
        assertEquals(List.of("refused-present"), failing(v));
        assertEquals(2L, v.get("refused-present").counts().get("present"));
    }

    @Test
    void withoutTheHoldsSnapshotAHistoryWithHoldsCannotPass() {
        Map<String, Verdict> v = judgeHolds(holdHistory(), holdRows(), 3, null);
        assertEquals(List.of("holds-kept", "never-oversold"), failing(v));
        assertTrue(v.get("holds-kept").examples().get(0).contains("--holds"));
    }
}
