package org.duplex.reservation.holds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.duplex.reservation.api.Hold;
import org.duplex.reservation.holds.HoldRecord.Phase;
import org.junit.jupiter.api.Test;

class HoldRecordTest {

    static HoldRecord record(Phase phase) {
        return new HoldRecord("h-1", "alice:web", "op-1", "room-1", 3, 1_000_000L, 7, "node-a", 400_000L, phase, null);
    }

    @Test
    void everyPhaseSurvivesTheCacheEncoding() {
        for (Phase phase : Phase.values()) {
            HoldRecord r = record(phase);
            assertEquals(r, HoldRecord.decode(r.encode()));
        }
        HoldRecord released = record(Phase.LIVE).inPhase(Phase.RELEASED, "op-9");
        assertEquals(released, HoldRecord.decode(released.encode()));
        assertEquals("op-9", HoldRecord.decode(released.encode()).closedBy());
        assertNull(HoldRecord.decode(null));
    }

    @Test
    void aValueNotWrittenByEncodeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> HoldRecord.decode("something else"));
        assertThrows(IllegalArgumentException.class, () -> HoldRecord.decode("h0|a|b|c|d|1|2|3|n|4|LIVE|"));
    }

    @Test
    void onlyPendingAndLiveEntriesCount() {
        assertTrue(record(Phase.PENDING).counts());
        assertTrue(record(Phase.LIVE).counts());
        assertFalse(record(Phase.CONFIRMED).counts());
        assertFalse(record(Phase.RELEASED).counts());
        assertFalse(record(Phase.EXPIRED).counts());
    }

    @Test
    void theClientIsToldTheStatusAsItIsNow() {
        Hold held = record(Phase.LIVE).view(true, 999_999L);
        assertEquals(Hold.Status.HELD, held.status());
        assertTrue(held.duplicate());
        assertEquals(Instant.ofEpochMilli(1_000_000L), held.expiresAt());
        assertEquals(7, held.epoch());
        assertEquals(Hold.Status.EXPIRED, record(Phase.LIVE).view(false, 1_000_000L).status());
        assertEquals(Hold.Status.CONFIRMED, record(Phase.CONFIRMED).view(false, 0).status());
        assertEquals(Hold.Status.RELEASED, record(Phase.RELEASED).view(false, 0).status());
    }

    @Test
    void aValueIsPassedOverOnlyWhenItCannotBeARecordOfTheResource() {
        String value = record(HoldRecord.Phase.LIVE).encode();
        assertTrue(HoldRecord.mayConcern(value, "room-1"));
        assertFalse(HoldRecord.mayConcern(value, "room-10"), "a longer id with the same start");
        assertFalse(HoldRecord.mayConcern(value, "room"), "a shorter one");
        assertTrue(HoldRecord.mayConcern(value, "op-1"), "another field with that id: decoded, then judged");
        assertEquals(0, HoldRules.heldUnits(java.util.List.of(HoldRecord.decode(value)), "op-1"));
    }
}
