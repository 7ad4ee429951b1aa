package org.duplex.reservation.holds;

import static org.duplex.reservation.holds.HoldRecordTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.duplex.reservation.holds.HoldRecord.Phase;
import org.duplex.reservation.holds.HoldRules.Answer;
import org.duplex.reservation.holds.HoldRules.Busy;
import org.duplex.reservation.holds.HoldRules.Conflict;
import org.duplex.reservation.holds.HoldRules.Expired;
import org.duplex.reservation.holds.HoldRules.Place;
import org.duplex.reservation.holds.HoldRules.Proceed;
import org.duplex.reservation.holds.HoldRules.Unknown;
import org.duplex.reservation.holds.HoldRules.VoidFirst;
import org.junit.jupiter.api.Test;

class HoldRulesTest {

    private static final long NOW = 500_000L;

    @Test
    void aRequestsHoldIdIsTheSameOnEveryNodeAndDiffersByClientAndOperation() {
        String id = HoldRules.holdId("alice:web", "op-1");
        assertEquals(id, HoldRules.holdId("alice:web", "op-1"));
        assertNotEquals(id, HoldRules.holdId("alice:web", "op-2"));
        assertNotEquals(id, HoldRules.holdId("bob:web", "op-1"));
        // the separator is not a character ids may hold: "a" + "b:c" is not "a:b" + "c"
        assertNotEquals(HoldRules.holdId("a", "b:c"), HoldRules.holdId("a:b", "c"));
        assertTrue(id.length() <= 64);
    }

    @Test
    void reservedPlusHeldNeverExceedsTheCapacity() {
        assertTrue(HoldRules.fits(10, 4, 3, 3));
        assertFalse(HoldRules.fits(10, 4, 3, 4));
        assertTrue(HoldRules.fits(10, 0, 0, 10));
        assertFalse(HoldRules.fits(0, 0, 0, 1));
        assertFalse(HoldRules.fits(1_000_000_000L, 999_999_000L, 1_000, 1));
    }

    @Test
    void pendingAndLiveEntriesOfTheResourceAreHeld() {
        List<HoldRecord> entries = List.of(record(Phase.PENDING), record(Phase.LIVE),
                record(Phase.RELEASED),
                new HoldRecord("h-2", "c", "o", "room-2", 5, NOW, 1, "node-a", NOW, Phase.LIVE, null));
        assertEquals(6, HoldRules.heldUnits(entries, "room-1"));
        assertEquals(5, HoldRules.heldUnits(entries, "room-2"));
        assertEquals(0, HoldRules.heldUnits(entries, "room-3"));
    }

    @Test
    void theLifespanEndsAtTheExpiryAndTheAnswerOutlivesIt() {
        HoldRecord r = record(Phase.LIVE);
        assertEquals(1_000_000L - NOW, HoldRules.lifespanMs(r, NOW));
        assertEquals(1, HoldRules.lifespanMs(r, 2_000_000L), "never 0, which Infinispan reads as forever");
        assertEquals(1_000_000L - NOW + HoldRules.ANSWER_RETENTION_MS, HoldRules.answerLifespanMs(r, NOW));
        assertEquals(NOW + 600_000L, HoldRules.expiresAtMs(NOW, 600));
    }

    @Test
    void aPendingEntryIsVoidableOnlyWhenItsPlacerCanNoLongerMakeItLive() {
        HoldRecord pending = record(Phase.PENDING); // epoch 7, node-a, placed at 400_000
        assertFalse(HoldRules.voidable(pending, "node-a", 7, 400_000L + 1_000), "its own placement, in flight");
        assertTrue(HoldRules.voidable(pending, "node-a", 8, 400_000L + 1_000), "placed under an older epoch");
        assertTrue(HoldRules.voidable(pending, "node-b", 7, 400_000L + 1_000), "placed by the other node");
        assertTrue(HoldRules.voidable(pending, "node-a", 7, 400_000L + HoldRules.PENDING_GRACE_MS + 1), "stuck");
        assertFalse(HoldRules.voidable(record(Phase.LIVE), "node-b", 9, NOW), "a LIVE entry is never voided");
    }

    @Test
    void aHoldRequestPlacesOnceAndAResendGetsTheSameHold() {
        assertInstanceOf(Place.class, HoldRules.forHold(null, null, "room-1", 3, "node-a", 7, NOW));
        HoldRecord live = record(Phase.LIVE);
        assertEquals(new Answer(live), HoldRules.forHold(live, live, "room-1", 3, "node-b", 8, NOW),
                "after a failover the new primary answers with the hold the old one placed");
        assertEquals(new Answer(live), HoldRules.forHold(live, null, "room-1", 3, "node-a", 7, NOW),
                "LIVE, not yet answered: acknowledged by the resend");
        assertInstanceOf(Conflict.class, HoldRules.forHold(live, live, "room-1", 4, "node-a", 7, NOW));
        assertInstanceOf(Conflict.class, HoldRules.forHold(null, live, "room-2", 3, "node-a", 7, NOW));
    }

    @Test
    void aResendAfterTheHoldEndedIsToldHowItEnded() {
        HoldRecord answer = record(Phase.LIVE);
        Answer expired = (Answer) HoldRules.forHold(null, answer, "room-1", 3, "node-a", 7, 2_000_000L);
        assertEquals(Phase.EXPIRED, expired.record().phase());
        HoldRecord released = answer.inPhase(Phase.RELEASED, "op-r");
        assertEquals(new Answer(released), HoldRules.forHold(answer, released, "room-1", 3, "node-a", 7, NOW),
                "a closed answer wins over an entry not yet removed");
    }

    @Test
    void aPendingEntryMetByAResendIsVoidedOrWaitedFor() {
        HoldRecord pending = record(Phase.PENDING);
        assertInstanceOf(Busy.class, HoldRules.forHold(pending, null, "room-1", 3, "node-a", 7, 401_000L));
        assertEquals(new VoidFirst(pending), HoldRules.forHold(pending, null, "room-1", 3, "node-b", 8, 401_000L));
    }

    @Test
    void confirmOrReleaseActOnlyOnALiveHoldOfTheSameClient() {
        HoldRecord live = record(Phase.LIVE);
        assertEquals(new Proceed(live), HoldRules.forUse("h-1", live, live, "alice:web", "node-a", 7, NOW));
        assertInstanceOf(Unknown.class, HoldRules.forUse("h-1", live, live, "bob:web", "node-a", 7, NOW),
                "another client's hold is not found, not refused as foreign");
        assertInstanceOf(Unknown.class, HoldRules.forUse("h-1", null, null, "alice:web", "node-a", 7, NOW));
        assertInstanceOf(Expired.class, HoldRules.forUse("h-1", null, live, "alice:web", "node-a", 7, 2_000_000L));
        assertInstanceOf(Unknown.class, HoldRules.forUse("h-1", live, live.inPhase(Phase.RELEASED, "op-r"),
                "alice:web", "node-a", 7, NOW));
        assertInstanceOf(Unknown.class, HoldRules.forUse("h-1", null, live.inPhase(Phase.CONFIRMED, "op-c"),
                "alice:web", "node-a", 7, NOW));
        assertInstanceOf(Expired.class, HoldRules.forUse("h-1", null, live.inPhase(Phase.EXPIRED, null),
                "alice:web", "node-a", 7, NOW));
        HoldRecord pending = record(Phase.PENDING);
        assertEquals(new VoidFirst(pending), HoldRules.forUse("h-1", pending, null, "alice:web", "node-b", 8, NOW));
        assertInstanceOf(Busy.class, HoldRules.forUse("h-1", pending, null, "alice:web", "node-a", 7, 401_000L));
    }

    @Test
    void theAnswerOfAPlacementWhoseStepToLiveLostIsNeverTakenForAnAcknowledgement() {
        HoldRecord answer = record(Phase.LIVE); // expires at 1_000_000, placed at 400_000
        assertInstanceOf(Place.class, HoldRules.forHold(null, answer, "room-1", 3, "node-b", 8, NOW),
                "no entry before the expiry: never acknowledged, placed anew under the same id");
        assertInstanceOf(Conflict.class, HoldRules.forHold(null, answer, "room-1", 4, "node-b", 8, NOW),
                "the same operation id for another request is still a conflict");
        assertEquals(new Answer(answer), HoldRules.forHold(answer, answer, "room-1", 3, "node-b", 8, NOW));
        assertInstanceOf(Unknown.class, HoldRules.forUse("h-1", null, answer, "alice:web", "node-b", 8, NOW));
        assertInstanceOf(Expired.class, HoldRules.forUse("h-1", null, answer, "alice:web", "node-b", 8, 1_000_000L),
                "at the expiry the entry may be gone because it expired");
        assertTrue(HoldRules.unacknowledged(answer, 999_999L));
        assertFalse(HoldRules.unacknowledged(answer, 1_000_000L));
        assertFalse(HoldRules.unacknowledged(answer.inPhase(Phase.RELEASED, "op-r"), NOW), "closed answers are final");
        assertFalse(HoldRules.unacknowledged(null, NOW));
    }

    @Test
    void theSweeperRemovesAnUnacknowledgedAnswerOnlyWithoutItsEntryAndAfterTheGrace() {
        HoldRecord answer = record(Phase.LIVE);
        long late = 400_000L + HoldRules.PENDING_GRACE_MS + 1;
        assertTrue(HoldRules.staleAnswer(answer, null, late));
        assertFalse(HoldRules.staleAnswer(answer, null, 400_000L + 1_000), "a placement may still be under way");
        assertFalse(HoldRules.staleAnswer(answer, record(Phase.PENDING), late), "its entry is there");
        assertFalse(HoldRules.staleAnswer(answer, null, 1_000_000L), "expired: the sweeper marks it EXPIRED instead");
    }

    @Test
    void onlyTheAnswerOfAnotherPlacementStillOpenIsReplacedByTheOneThatWentLive() {
        HoldRecord mine = record(Phase.LIVE);
        HoldRecord earlier = new HoldRecord("h-1", "alice:web", "op-1", "room-1", 3, 900_000L, 6, "node-b", 300_000L,
                Phase.LIVE, null);
        assertEquals(HoldRules.AnswerFound.NONE, HoldRules.answerFound(null, mine));
        assertEquals(HoldRules.AnswerFound.NONE, HoldRules.answerFound(mine, mine));
        assertEquals(HoldRules.AnswerFound.STALE, HoldRules.answerFound(earlier, mine));
        assertEquals(HoldRules.AnswerFound.CLOSED, HoldRules.answerFound(earlier.inPhase(Phase.CONFIRMED, "op-c"), mine));
    }
}
