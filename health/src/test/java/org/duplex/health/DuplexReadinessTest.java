package org.duplex.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DuplexReadinessTest {

    private static final Map<String, Boolean> ALL_UP = Map.of("db-a", true, "db-b", true, "db-w", true);
    private static final Map<String, Boolean> A_DOWN = Map.of("db-a", false, "db-b", true, "db-w", true);
    private static final Map<String, Boolean> A_AND_W_DOWN = Map.of("db-a", false, "db-b", true, "db-w", false);
    private static final Map<String, Boolean> W_DOWN = Map.of("db-a", true, "db-b", true, "db-w", false);
    private static final Map<String, Boolean> DATA_DOWN = Map.of("db-a", false, "db-b", false, "db-w", true);

    @Test
    void aPrimaryUnderNofailIsReadyWhileAWriteMajorityAnswers() {
        assertTrue(DuplexReadiness.ready("primary", ALL_UP, "db-a", false).ready());
        assertTrue(DuplexReadiness.ready("primary", W_DOWN, "db-a", false).ready(), "sync needs db-a and db-b only");
        DuplexReadiness.Verdict degraded = DuplexReadiness.ready("primary", A_DOWN, "db-a", false);
        assertTrue(degraded.ready());
        assertEquals("primary, degraded: db-b and the witness db-w answer", degraded.reason());
    }

    @Test
    void aPrimaryWithOneStoreOfThreeIsNotReadyAndSaysWhich() {
        DuplexReadiness.Verdict one = DuplexReadiness.ready("primary", A_AND_W_DOWN, "db-a", false);
        assertFalse(one.ready());
        assertEquals("primary without a write majority: only db-b of db-a, db-b, db-w answer, writes are refused", one.reason());
        assertFalse(DuplexReadiness.ready("primary", DATA_DOWN, "db-a", false).ready(), "the witness holds no data");
    }

    @Test
    void aPrimaryUnderStrictNeedsBothDatabases() {
        assertTrue(DuplexReadiness.ready("primary", ALL_UP, "db-a", true).ready());
        DuplexReadiness.Verdict strict = DuplexReadiness.ready("primary", A_DOWN, "db-a", true);
        assertFalse(strict.ready());
        assertTrue(strict.reason().contains("replica-unavailable"), strict.reason());
    }

    @Test
    void aBackupNeedsItsOwnDatabase() {
        assertTrue(DuplexReadiness.ready("backup", A_DOWN, "db-b", false).ready());
        DuplexReadiness.Verdict own = DuplexReadiness.ready("backup", A_DOWN, "db-a", false);
        assertFalse(own.ready());
        assertEquals("backup: its own database db-a does not answer", own.reason());
    }

    @Test
    void aNodeWithoutARoleIsNotReady() {
        assertFalse(DuplexReadiness.ready("unknown", ALL_UP, "db-a", false).ready());
        assertFalse(DuplexReadiness.ready("unknown", Map.of(), "db-a", false).ready());
    }
}
