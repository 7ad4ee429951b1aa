package org.duplex.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.duplex.detector.HeartbeatProbe.Outcome;
import org.duplex.reservation.api.PrimaryBinding;
import org.duplex.reservation.replication.EpochState;
import org.junit.jupiter.api.Test;

/** One test per rule of {@link Detector}: what it concludes from one round's observations. */
class DetectorTest {

    static final Map<String, String> NODES = Map.of("node-a", "remote+http://127.0.0.1:8180",
            "node-b", "remote+http://127.0.0.1:8280");
    static final EpochState A_SYNC = new EpochState(4, "node-a", null, "node-a");
    static final EpochState B_SYNC = new EpochState(5, "node-b", null, "node-b");
    static final EpochState A_DEGRADED = new EpochState(5, "node-a", "db-b", "node-a");

    static DetectorSettings settings(String node, DetectorSettings.Policy policy, boolean drained) {
        return new DetectorSettings(node, NODES, 200, 300, 3, DetectorSettings.Failback.AUTO, 5000, "node-a", 60_000,
                policy, drained);
    }

    static DetectorSettings settings(String node) {
        return settings(node, DetectorSettings.Policy.NOFAIL, false);
    }

    static Map<String, StoreRead> reads(EpochState s, long tick, String... stores) {
        Map<String, StoreRead> reads = new HashMap<>();
        for (String db : stores) {
            reads.put(db, new StoreRead(s, s.epoch(), s.primary(), tick));
        }
        return reads;
    }

    static String bound(EpochState s) {
        return new PrimaryBinding(s.primary(), NODES.get(s.primary()), s.epoch()).format();
    }

    static Detector.Step reconcile(DetectorMemory m, DetectorSettings s, long now, Map<String, StoreRead> reads) {
        return Detector.reconcile(m, new Detector.StoreObservation(s, now, reads, null));
    }

    /** A memory after one round at {@code now} that read {@code state} in the given stores, with its tick at {@code tick}. */
    static DetectorMemory after(DetectorMemory m, DetectorSettings s, long now, EpochState state, long tick, String... stores) {
        Detector.Step step = Detector.reconcile(m, new Detector.StoreObservation(s, now, reads(state, tick, stores), bound(state)));
        assertTrue(step.quorum());
        return step.memory();
    }

    static HeartbeatProbe.Result beat(Outcome o) {
        return new HeartbeatProbe.Result(o, 1000, o.name());
    }

    static Detector.Step watch(DetectorMemory m, DetectorSettings s, long now, Outcome peer, Outcome again, Outcome self) {
        return Detector.watch(m, new Detector.PeerObservation(s, now, beat(peer), again == null ? null : beat(again),
                self == null ? null : beat(self)));
    }

    static <T extends Decision> List<T> of(Detector.Step step, Class<T> kind) {
        return step.decisions().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    static List<String> announced(Detector.Step step) {
        return of(step, Decision.Announce.class).stream().map(Decision.Announce::kind).toList();
    }

    /** A backup at {@code now} that has seen the primary alive, with the tick last moved at {@code now}. */
    static DetectorMemory backupThatSawThePrimary(long now) {
        DetectorSettings s = settings("node-b");
        DetectorMemory m = after(DetectorMemory.start(0), s, now, A_SYNC, 7, "db-a", "db-b", "db-w");
        return watch(m, s, now, Outcome.ALIVE, null, null).memory();
    }

    @Test
    void aMajorityGivesTheRoleAndAskForTheBindingItNames() {
        Detector.Step step = reconcile(DetectorMemory.start(0), settings("node-b"), 10, reads(A_SYNC, 1, "db-a", "db-w"));
        assertTrue(step.quorum());
        assertEquals(Role.BACKUP, step.memory().role());
        assertEquals(A_SYNC, step.memory().state());
        assertEquals(List.of("db-a", "db-w"), step.memory().answered());
        assertEquals(1, step.memory().silentRounds("db-b"));
        assertEquals(bound(A_SYNC), of(step, Decision.Rebind.class).get(0).binding().format());
    }

    @Test
    void aBindingThatIsRightIsRememberedAndNotRebound() {
        Detector.Step step = Detector.reconcile(DetectorMemory.start(0), new Detector.StoreObservation(settings("node-a"),
                10, reads(A_SYNC, 1, "db-a", "db-b"), bound(A_SYNC)));
        assertTrue(of(step, Decision.Rebind.class).isEmpty());
        assertEquals(bound(A_SYNC), step.memory().lastBound());
    }

    @Test
    void oneStoreAloneIsNoQuorumAndAPrimaryLosesItsTick() {
        DetectorSettings s = settings("node-a");
        DetectorMemory primary = after(DetectorMemory.start(0), s, 10, A_SYNC, 1, "db-a", "db-b");
        assertEquals(10, primary.lastTickOkMs());
        Detector.Step step = reconcile(primary, s, 20, reads(A_SYNC, 1, "db-a"));
        assertFalse(step.quorum());
        assertTrue(step.decisions().isEmpty());
        assertTrue(step.memory().storeTrouble().startsWith("no majority"), step.memory().storeTrouble());
        assertEquals(DetectorMemory.NEVER, step.memory().lastTickOkMs());
        assertEquals(A_SYNC, step.memory().state(), "the last current state is kept");
    }

    @Test
    void aMajorityShowingLessThanSeenIsADivergence() {
        DetectorSettings s = settings("node-b");
        DetectorMemory m = after(DetectorMemory.start(0), s, 10, B_SYNC, 1, "db-a", "db-b");
        Detector.Step step = reconcile(m, s, 20, reads(A_SYNC, 1, "db-a", "db-w"));
        assertFalse(step.quorum());
        assertTrue(step.memory().storeTrouble().startsWith("DIVERGENCE"), step.memory().storeTrouble());
    }

    @Test
    void aPrimaryThatReadsAnotherPrimaryStepsDownAndAnnouncesItWasFenced() {
        DetectorSettings s = settings("node-a");
        DetectorMemory m = after(DetectorMemory.start(0), s, 10, A_SYNC, 1, "db-a", "db-b");
        Detector.Step step = reconcile(m, s, 20, reads(B_SYNC, 1, "db-b", "db-w"));
        assertEquals(Role.BACKUP, step.memory().role());
        assertEquals(List.of("fenced"), announced(step));
        assertEquals(DetectorMemory.NEVER, step.memory().lastTickOkMs());
        assertEquals(new Decision.RoleChange(Role.PRIMARY, Role.BACKUP, B_SYNC), step.decisions().get(0));
    }

    @Test
    void anAdminRebindNamingThisNodeIsASwitchoverAndNamingTheOtherIsAHandOff() {
        DetectorSettings b = settings("node-b");
        DetectorMemory m = after(DetectorMemory.start(0), b, 10, A_SYNC, 1, "db-a", "db-b");
        String toB = new PrimaryBinding("node-b", NODES.get("node-b"), 4).format();
        Detector.Step step = Detector.reconcile(m, new Detector.StoreObservation(b, 20, reads(A_SYNC, 1, "db-a", "db-b"), toB));
        assertEquals("switchover", of(step, Decision.SwitchOver.class).get(0).kind());
        assertEquals(1, of(step, Decision.Rebind.class).size(), "the binding is put back until the switchover moves it");

        DetectorSettings c = settings("node-b");
        DetectorMemory onB = after(DetectorMemory.start(0), c, 10, B_SYNC, 1, "db-a", "db-b");
        String toA = new PrimaryBinding("node-a", NODES.get("node-a"), 5).format();
        Detector.Step other = Detector.reconcile(onB, new Detector.StoreObservation(c, 20, reads(B_SYNC, 1, "db-a", "db-b"), toA));
        assertEquals("node-a", of(other, Decision.HandOff.class).get(0).node());
    }

    @Test
    void aRebindThatDoesNotParseIsIgnored() {
        DetectorSettings b = settings("node-b");
        DetectorMemory m = after(DetectorMemory.start(0), b, 10, A_SYNC, 1, "db-a", "db-b");
        Detector.Step step = Detector.reconcile(m, new Detector.StoreObservation(b, 20, reads(A_SYNC, 1, "db-a", "db-b"), "junk"));
        assertEquals(1, of(step, Decision.Wait.class).size());
        assertTrue(of(step, Decision.SwitchOver.class).isEmpty());
    }

    @Test
    void twoRefusedProbesPromoteAtOnceAfterFinishingTheOldPrimarysBranches() {
        DetectorSettings s = settings("node-b");
        DetectorMemory m = backupThatSawThePrimary(100);
        Detector.Step step = watch(m, s, 150, Outcome.REFUSED, Outcome.REFUSED, null);
        assertEquals(List.of("primary-down"), announced(step));
        assertEquals(PeerStatus.DOWN, step.memory().peer());
        assertEquals(new Decision.FinishInDoubt("node-a", List.of("db-a", "db-b", "db-w")), of(step, Decision.FinishInDoubt.class).get(0));
        assertEquals(A_SYNC, of(step, Decision.Promote.class).get(0).expected());
        assertTrue(step.decisions().indexOf(of(step, Decision.FinishInDoubt.class).get(0))
                < step.decisions().indexOf(of(step, Decision.Promote.class).get(0)));
    }

    @Test
    void aRefusalNotConfirmedByTheSecondProbeChangesNothing() {
        DetectorMemory m = backupThatSawThePrimary(100);
        Detector.Step step = watch(m, settings("node-b"), 150, Outcome.REFUSED, Outcome.ALIVE, null);
        assertTrue(step.decisions().isEmpty());
        assertEquals(m, step.memory());
    }

    @Test
    void missedHeartbeatsPromoteOnlyOnceTheTickStoodStillForMissesIntervalsAndTwoTimeouts() {
        DetectorSettings s = settings("node-b");
        DetectorMemory m = backupThatSawThePrimary(100);
        m = watch(m, s, 300, Outcome.TIMEOUT, null, null).memory();
        m = watch(m, s, 500, Outcome.TIMEOUT, null, null).memory();
        assertEquals(2, m.misses());
        assertEquals(PeerStatus.HUNG, m.peer());
        // 3 misses, tick still since 100: verdict at 100 + 3 * 200 + 2 * 300 = 1300
        Detector.Step early = watch(m, s, 1299, Outcome.TIMEOUT, null, null);
        assertTrue(of(early, Decision.Promote.class).isEmpty());
        assertEquals(PeerStatus.HUNG_STILL_WRITING, early.memory().peer());
        assertEquals(List.of("primary-down"), announced(early));
        Detector.Step due = watch(early.memory(), s, 1300, Outcome.TIMEOUT, null, null);
        assertEquals(1, of(due, Decision.Promote.class).size());
        assertTrue(announced(due).isEmpty(), "primary-down is announced once");
    }

    @Test
    void aTickThatMovesKeepsAHungPrimaryInCharge() {
        DetectorSettings s = settings("node-b");
        DetectorMemory m = backupThatSawThePrimary(100);
        for (long now = 300; now <= 3000; now += 200) {
            m = after(m, s, now, A_SYNC, 7 + now, "db-a", "db-b", "db-w");
            Detector.Step step = watch(m, s, now, Outcome.TIMEOUT, null, null);
            assertTrue(of(step, Decision.Promote.class).isEmpty(), "at " + now);
            m = step.memory();
        }
    }

    @Test
    void aPrimaryThatAnswersUnhealthyGetsTheGraceOfADegradeOnTop() {
        DetectorSettings s = settings("node-b");
        DetectorMemory m = backupThatSawThePrimary(100);
        m = watch(m, s, 300, Outcome.UNHEALTHY, null, null).memory();
        m = watch(m, s, 500, Outcome.UNHEALTHY, null, null).memory();
        Detector.Step early = watch(m, s, 1300 + Detector.UNHEALTHY_GRACE_MS - 1, Outcome.UNHEALTHY, null, null);
        assertTrue(of(early, Decision.Promote.class).isEmpty());
        assertEquals(PeerStatus.UNHEALTHY_STILL_WRITING, early.memory().peer());
        assertEquals(1, of(watch(early.memory(), s, 1300 + Detector.UNHEALTHY_GRACE_MS, Outcome.UNHEALTHY, null, null),
                Decision.Promote.class).size());
    }

    @Test
    void aBackupThatNeverSawThePrimaryAliveWaitsOutTheStartupGrace() {
        DetectorSettings s = settings("node-b");
        DetectorMemory m = after(DetectorMemory.start(0), s, 10, A_SYNC, 1, "db-a", "db-b", "db-w");
        Detector.Step inGrace = watch(m, s, 60_000, Outcome.REFUSED, Outcome.REFUSED, null);
        assertTrue(inGrace.decisions().isEmpty());
        assertEquals(PeerStatus.DOWN, inGrace.memory().peer());
        Detector.Step after = watch(inGrace.memory(), s, 60_001, Outcome.REFUSED, Outcome.REFUSED, null);
        assertEquals(1, of(after, Decision.Promote.class).size());
    }

    @Test
    void aDrainedBackupDoesNotTakeOverAndSaysWhy() {
        DetectorSettings s = settings("node-b", DetectorSettings.Policy.NOFAIL, true);
        DetectorMemory m = backupThatSawThePrimary(100);
        Detector.Step step = watch(m, s, 150, Outcome.REFUSED, Outcome.REFUSED, null);
        assertTrue(of(step, Decision.StateChange.class).isEmpty());
        assertTrue(step.memory().lastPromotionFailure().contains("is drained"));
        assertTrue(announced(step).contains("drained"));
    }

    @Test
    void aTakeoverWithOneDataDatabaseSilentNamesItLaggingUnderNofailOnly() {
        DetectorSettings s = settings("node-b");
        DetectorMemory m = after(backupThatSawThePrimary(100), s, 120, A_SYNC, 7, "db-b", "db-w");
        Detector.Step step = watch(m, s, 150, Outcome.REFUSED, Outcome.REFUSED, null);
        Decision.TakeOverDegraded t = of(step, Decision.TakeOverDegraded.class).get(0);
        assertEquals("db-a", t.lagging());
        assertEquals(List.of("db-b", "db-w"), of(step, Decision.FinishInDoubt.class).get(0).stores());

        DetectorSettings strict = settings("node-b", DetectorSettings.Policy.STRICT, false);
        Detector.Step plain = watch(m, strict, 150, Outcome.REFUSED, Outcome.REFUSED, null);
        // under strict the takeover would need db-a too: no change, and the primary's sessions are left alone
        assertTrue(of(plain, Decision.StateChange.class).isEmpty());
        assertTrue(of(plain, Decision.FinishInDoubt.class).isEmpty());
        assertTrue(plain.memory().lastPromotionFailure().contains("does not all answer"));
    }

    @Test
    void noTakeoverWhoseWriteMajorityDoesNotAnswerEndsThePrimarysSessions() {
        DetectorSettings s = settings("node-b");
        // degraded with db-b lagging: a takeover must write db-a and the witness, and db-a is silent here
        EpochState degraded = new EpochState(8, "node-a", "db-b", "node-a");
        DetectorMemory m = after(backupThatSawThePrimary(100), s, 120, degraded, 7, "db-b", "db-w");
        Detector.Step step = watch(m, s, 150, Outcome.REFUSED, Outcome.REFUSED, null);
        assertTrue(of(step, Decision.StateChange.class).isEmpty());
        assertTrue(of(step, Decision.FinishInDoubt.class).isEmpty());
        assertEquals(1, of(step, Decision.Wait.class).size());
    }

    @Test
    void thePreferredPrimaryFailsBackAfterServingForTheFailbackDelay() {
        DetectorSettings s = settings("node-a");
        DetectorMemory m = after(DetectorMemory.start(0), s, 10, B_SYNC, 1, "db-a", "db-b");
        m = watch(m, s, 100, Outcome.ALIVE, null, Outcome.ALIVE).memory();
        assertEquals(100, m.healthyBackupSinceMs());
        assertTrue(of(watch(m, s, 5099, Outcome.ALIVE, null, Outcome.ALIVE), Decision.SwitchOver.class).isEmpty());
        Decision.SwitchOver back = of(watch(m, s, 5100, Outcome.ALIVE, null, Outcome.ALIVE), Decision.SwitchOver.class).get(0);
        assertEquals("failback", back.kind());
        assertEquals(DetectorMemory.NEVER, watch(m, s, 5100, Outcome.ALIVE, null, Outcome.TIMEOUT).memory()
                .healthyBackupSinceMs(), "not serving its own requests: the delay starts again");
        assertTrue(Detector.wantsSelfProbe(m, s, beat(Outcome.ALIVE)));
        assertFalse(Detector.wantsSelfProbe(m, settings("node-b"), beat(Outcome.ALIVE)));
    }

    @Test
    void thePrimaryPrunesOldMarkersAtMostEveryMinuteAndOnlyWithEveryStoreAnswering() {
        DetectorSettings s = settings("node-a");
        DetectorMemory all = after(DetectorMemory.start(0), s, 10, A_SYNC, 1, "db-a", "db-b", "db-w");
        Detector.Step first = watch(all, s, 20, Outcome.ALIVE, null, null);
        Decision.PruneMarkers prune = of(first, Decision.PruneMarkers.class).get(0);
        assertEquals(List.of("db-a", "db-b", "db-w"), prune.stores());
        assertEquals(Detector.MARKER_RETENTION_S, prune.retentionSeconds());
        assertTrue(Detector.MARKER_RETENTION_S * 1000 > 10 * 30_000, "far longer than a transaction may take to prepare");

        DetectorMemory later = after(first.memory(), s, 20 + Detector.PRUNE_EVERY_MS - 1, A_SYNC, 2, "db-a", "db-b", "db-w");
        assertTrue(of(watch(later, s, 20 + Detector.PRUNE_EVERY_MS - 1, Outcome.ALIVE, null, null),
                Decision.PruneMarkers.class).isEmpty(), "not again within a minute");
        assertEquals(1, of(watch(later, s, 20 + Detector.PRUNE_EVERY_MS, Outcome.ALIVE, null, null),
                Decision.PruneMarkers.class).size());

        DetectorMemory witnessSilent = after(DetectorMemory.start(0), s, 10, A_SYNC, 1, "db-a", "db-b");
        assertTrue(of(watch(witnessSilent, s, 20, Outcome.ALIVE, null, null), Decision.PruneMarkers.class).isEmpty(),
                "a silent store could hold a prepared branch that needs an old marker");
        DetectorMemory degraded = after(DetectorMemory.start(0), s, 10, A_DEGRADED, 1, "db-a", "db-b", "db-w");
        assertTrue(of(watch(degraded, s, 20, Outcome.ALIVE, null, null), Decision.PruneMarkers.class).isEmpty());
        DetectorMemory backup = after(DetectorMemory.start(0), settings("node-b"), 10, A_SYNC, 1, "db-a", "db-b", "db-w");
        assertTrue(of(watch(backup, settings("node-b"), 20, Outcome.ALIVE, null, null), Decision.PruneMarkers.class).isEmpty());
    }

    @Test
    void aPrimaryTicksOnlyWhenItsWholeWriteMajorityAnswered() {
        DetectorSettings s = settings("node-a");
        DetectorMemory both = after(DetectorMemory.start(0), s, 10, A_SYNC, 1, "db-a", "db-b");
        assertEquals(1, of(watch(both, s, 20, Outcome.ALIVE, null, null), Decision.TickLiveness.class).size());
        DetectorMemory oneSilent = after(DetectorMemory.start(0), s, 10, A_SYNC, 1, "db-a", "db-w");
        assertTrue(of(watch(oneSilent, s, 20, Outcome.ALIVE, null, null), Decision.TickLiveness.class).isEmpty());
    }

    @Test
    void aPrimaryDegradesAroundADataDatabaseOnlyAfterTwoSilentRounds() {
        DetectorSettings s = settings("node-a");
        DetectorMemory m = after(DetectorMemory.start(0), s, 10, A_SYNC, 1, "db-a", "db-b", "db-w");
        m = after(m, s, 20, A_SYNC, 1, "db-a", "db-w");
        assertTrue(of(watch(m, s, 20, Outcome.ALIVE, null, null), Decision.Degrade.class).isEmpty());
        m = after(m, s, 30, A_SYNC, 1, "db-a", "db-w");
        Decision.Degrade d = of(watch(m, s, 30, Outcome.ALIVE, null, null), Decision.Degrade.class).get(0);
        assertEquals("db-b", d.lagging());
        assertEquals(List.of("db-a", "db-w"), d.stores());
        assertTrue(of(watch(m, settings("node-a", DetectorSettings.Policy.STRICT, false), 30, Outcome.ALIVE, null, null),
                Decision.Degrade.class).isEmpty(), "strict refuses writes instead");
    }

    @Test
    void aDegradedPrimaryCountsItsJournalAndResyncsOnceTheLaggingDatabaseAnswers() {
        DetectorSettings s = settings("node-a");
        DetectorMemory away = after(DetectorMemory.start(0), s, 10, A_DEGRADED, 1, "db-a", "db-w");
        Detector.Step waiting = watch(away, s, 20, Outcome.ALIVE, null, null);
        assertEquals(List.of(new Decision.CountJournal("db-a")), waiting.decisions().stream()
                .filter(d -> !(d instanceof Decision.TickLiveness)).toList());
        DetectorMemory back = after(away, s, 30, A_DEGRADED, 1, "db-a", "db-b", "db-w");
        Decision.Resync r = of(watch(back, s, 40, Outcome.ALIVE, null, null), Decision.Resync.class).get(0);
        assertEquals("db-b", r.lagging());
        assertEquals("db-a", r.source());
    }

    @Test
    void aDrainedPrimaryHandsOffToALiveBackupEveryTwoSecondsAtMost() {
        DetectorSettings s = settings("node-a", DetectorSettings.Policy.NOFAIL, true);
        DetectorMemory m = after(DetectorMemory.start(0), s, 10, A_SYNC, 1, "db-a", "db-b");
        Detector.Step first = watch(m, s, 100, Outcome.ALIVE, null, null);
        assertEquals(1, of(first, Decision.HandOff.class).size());
        assertEquals(List.of("drained"), announced(first));
        assertTrue(of(watch(first.memory(), s, 2099, Outcome.ALIVE, null, null), Decision.HandOff.class).isEmpty());
        assertEquals(1, of(watch(first.memory(), s, 2100, Outcome.ALIVE, null, null), Decision.HandOff.class).size());
        assertTrue(of(watch(first.memory(), s, 2100, Outcome.REFUSED, null, null), Decision.HandOff.class).isEmpty());
    }

    @Test
    void thePrimaryAnnouncesTheBackupUpOrDownOnlyWhenItChanges() {
        DetectorSettings s = settings("node-a");
        DetectorMemory m = after(DetectorMemory.start(0), s, 10, A_SYNC, 1, "db-a", "db-b");
        Detector.Step first = watch(m, s, 20, Outcome.ALIVE, null, null);
        assertTrue(announced(first).isEmpty(), "not from unknown");
        Detector.Step down = watch(first.memory(), s, 30, Outcome.TIMEOUT, null, null);
        assertEquals(List.of("backup-down"), announced(down));
        assertTrue(announced(watch(down.memory(), s, 40, Outcome.REFUSED, null, null)).isEmpty());
        assertEquals(List.of("backup-up"), announced(watch(down.memory(), s, 40, Outcome.ALIVE, null, null)));
    }

    @Test
    void aPrimaryReportedDownIsAnnouncedUpWhenItAnswersAgain() {
        DetectorSettings s = settings("node-b");
        DetectorMemory m = backupThatSawThePrimary(100);
        m = watch(m, s, 150, Outcome.REFUSED, Outcome.REFUSED, null).memory();
        assertTrue(m.primaryReportedDown());
        Detector.Step up = watch(m, s, 200, Outcome.ALIVE, null, null);
        assertEquals(List.of("primary-up"), announced(up));
        assertFalse(up.memory().primaryReportedDown());
    }

    @Test
    void aNodeIsUnhealthyWithoutARecentRoundOrAsAPrimaryWithoutARecentTick() {
        DetectorSettings s = settings("node-a");
        assertTrue(Detector.unhealthy(DetectorMemory.start(0), s, 5, null).contains("for ever"));
        DetectorMemory m = after(DetectorMemory.start(0), s, 10, A_SYNC, 1, "db-a", "db-b");
        assertNull(Detector.unhealthy(m, s, 10 + 1600, null));
        assertTrue(Detector.unhealthy(m, s, 10 + 1601, null).startsWith("no round completed"));
        DetectorMemory later = after(m, s, 1500, A_SYNC, 1, "db-a", "db-b");
        assertTrue(Detector.unhealthy(later, s, 1700, null).startsWith("primary without a liveness tick"));
        assertNull(Detector.unhealthy(later.ticked(1600), s, 1700, null));
        assertTrue(Detector.unhealthy(later.ticked(1600), s, 1700, "boom").startsWith("detector round failed"));
    }
}
