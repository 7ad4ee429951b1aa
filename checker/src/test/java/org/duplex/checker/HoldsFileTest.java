package org.duplex.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.duplex.checker.judge.HoldsSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file of {@code check --holds}, as lib/nemesis.bash writes it from the REST and client answers. */
class HoldsFileTest {

    @TempDir
    Path dir;

    @Test
    void theNemesisDocumentReadsWithTheListingsOwnFieldsIgnored() throws IOException {
        Path file = dir.resolve("holds.json");
        Files.writeString(file, """
                {"readAtMs": 1700000000500, "held": {"room-1": 2, "room-2": 0},
                 "holds": [{"id": "h1", "clientId": "c0", "operationId": "op-1", "resourceId": "room-1", "quantity": 2,
                            "status": "HELD", "expiresAt": "2023-11-14T22:13:40.123Z", "epoch": 3, "node": "node-a",
                            "duplicate": false}]}
                """, StandardCharsets.UTF_8);
        HoldsSnapshot s = DuplexChecker.readHolds(file);
        assertEquals(1_700_000_000_500L, s.readAtMs());
        assertEquals(Map.of("room-1", 2L, "room-2", 0L), s.held());
        assertEquals(1_700_000_020_123L, s.holds().get(0).expiresAtMs());
        assertEquals(Map.of("room-1", 2L), s.listedUnits());
    }

    @Test
    void aDocumentWithoutItsTimeOrWithABadExpiryIsRefused() throws IOException {
        Path noTime = dir.resolve("no-time.json");
        Files.writeString(noTime, "{\"held\": {}, \"holds\": []}", StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> DuplexChecker.readHolds(noTime));
        Path badExpiry = dir.resolve("bad.json");
        Files.writeString(badExpiry, "{\"readAtMs\": 1, \"holds\": [{\"id\": \"h\", \"expiresAt\": \"soon\"}]}",
                StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> DuplexChecker.readHolds(badExpiry));
    }
}
