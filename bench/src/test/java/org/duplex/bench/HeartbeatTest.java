package org.duplex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.duplex.bench.report.BenchResults.CatchUpRun;
import org.junit.jupiter.api.Test;

/** The heartbeat as a node serves it (every member of the detector's Heartbeat record), read by the runner. */
class HeartbeatTest {

    private static String heartbeat(String role, String mode, String lastCatchUp, String figures) {
        return "{\"epoch\":12,\"healthy\":true,\"journalDepth\":0,\"lagging\":null,\"lastCatchUp\":" + lastCatchUp
                + ",\"lastCatchUpFigures\":" + figures + ",\"lastPromotionFailure\":null,\"mode\":\"" + mode + "\",\"node\":\"node-a\",\"peer\":\"up\","
                + "\"peerRoundTripMicros\":812,\"peerRoundTripMs\":0.812,\"primary\":\"node-a\",\"role\":\"" + role + "\","
                + "\"storesReadAgoMs\":120,\"tickAgoMs\":95,\"unhealthyReason\":null}";
    }

    @Test
    void roleModeAndTheLastCatchUpsFigures() {
        Heartbeat beat = Heartbeat.read(heartbeat("primary", "sync",
                "\"26000 journal entries replayed into db-b in 3070 ms (8469 entries/s)\"",
                "{\"database\":\"db-b\",\"entries\":26000,\"entriesPerSec\":8469,\"ms\":3070}"));

        assertEquals("primary", beat.role());
        assertEquals("sync", beat.mode());
        assertEquals(12L, beat.epoch());
        assertEquals(Optional.of(new CatchUpRun(26000L, 3070.0, 8469.0, 2L)), beat.lastCatchUpRun(2));
    }

    @Test
    void noCatchUpYetGivesNoRunAndTheSentenceIsNeverRead() {
        assertEquals(Optional.empty(), Heartbeat.read(heartbeat("backup", "degraded", "null", "null")).lastCatchUpRun(0));
        assertEquals(Optional.empty(), Heartbeat.read(heartbeat("primary", "sync",
                "\"26000 journal entries replayed into db-b in 3070 ms (8469 entries/s)\"", "null")).lastCatchUpRun(0));
    }

    @Test
    void aBodyThatIsNotJsonIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Heartbeat.read("<html>503</html>"));
    }
}
