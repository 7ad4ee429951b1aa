package org.duplex.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DuplexReadinessTest {

    private static final Map<String, Boolean> BOTH_UP = Map.of("db-a", true, "db-b", true);
    private static final Map<String, Boolean> A_DOWN = Map.of("db-a", false, "db-b", true);
    private static final Map<String, Boolean> BOTH_DOWN = Map.of("db-a", false, "db-b", false);

    @Test
    void aPrimaryUnderNofailIsReadyWhileOneDatabaseAnswers() {
        assertTrue(DuplexReadiness.ready("primary", BOTH_UP, "db-a", false));
        assertTrue(DuplexReadiness.ready("primary", A_DOWN, "db-a", false));
        assertFalse(DuplexReadiness.ready("primary", BOTH_DOWN, "db-a", false));
    }

    @Test
    void aPrimaryUnderStrictNeedsBothDatabases() {
        assertTrue(DuplexReadiness.ready("primary", BOTH_UP, "db-a", true));
        assertFalse(DuplexReadiness.ready("primary", A_DOWN, "db-a", true));
    }

    @Test
    void aBackupNeedsItsOwnDatabase() {
        assertTrue(DuplexReadiness.ready("backup", A_DOWN, "db-b", false));
        assertFalse(DuplexReadiness.ready("backup", A_DOWN, "db-a", false));
    }

    @Test
    void aNodeWithoutARoleIsNotReady() {
        assertFalse(DuplexReadiness.ready("unknown", BOTH_UP, "db-a", false));
    }
}
