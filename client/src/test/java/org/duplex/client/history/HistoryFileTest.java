package org.duplex.client.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.duplex.client.history.HistoryRecord.Outcome;
import org.duplex.client.history.HistoryRecord.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFileTest {

    @TempDir
    Path dir;

    static HistoryRecord acknowledged() {
        return new HistoryRecord("run1", 0, Type.RESERVE, "c0", "op-1", "room-1", 2, "r-1", Outcome.OK,
                1_700_000_000_000L, 1_700_000_000_005L, 1_000, 5_001_000, 7L, "node-a", false, null, null, null);
    }

    static HistoryRecord gaveUp() {
        return new HistoryRecord("run1", 1, Type.CANCEL, "c1", "op-2", "room-2", 1, "r-9", Outcome.INFO,
                1_700_000_000_001L, 1_700_000_030_001L, 2_000, 30_000_002_000L, null, null, null, "gave-up",
                "gave up on cancel after 12 attempt(s)", null);
    }

    @Test
    void aRecordIsOneLineInLowerCaseJepsenTermsAndReadsBackEqual() {
        String line = HistoryFile.format(acknowledged());
        assertTrue(line.contains("\"type\":\"reserve\""), line);
        assertTrue(line.contains("\"outcome\":\"ok\""), line);
        assertTrue(!line.contains("\n"));
        assertEquals(acknowledged(), HistoryFile.parse(line));
        assertEquals(gaveUp(), HistoryFile.parse(HistoryFile.format(gaveUp())));
    }

    static HistoryRecord held() {
        return new HistoryRecord("run1", 0, Type.HOLD, "c0", "op-3", "room-1", 2, "h-1", Outcome.OK,
                1_700_000_000_010L, 1_700_000_000_015L, 10_000, 15_000, 7L, "node-a", false, null, null,
                1_700_000_020_010L);
    }

    @Test
    void holdConfirmAndReleaseAreWrittenByNameAndAHoldKeepsItsExpiry() {
        String line = HistoryFile.format(held());
        assertTrue(line.contains("\"type\":\"hold\""), line);
        assertTrue(line.contains("\"expiresAtMs\":1700000020010"), line);
        assertEquals(held(), HistoryFile.parse(line));
        for (Type t : List.of(Type.CONFIRM, Type.RELEASE)) {
            String other = line.replace("\"type\":\"hold\"", "\"type\":\"" + t.name().toLowerCase(java.util.Locale.ROOT) + "\"");
            assertEquals(t, HistoryFile.parse(other).type());
        }
    }

    /** A line as loadgen wrote it before holds existed (no expiresAtMs): still read, the expiry null. */
    @Test
    void aHistoryWrittenBeforeHoldsStillReads() throws IOException {
        Path old = dir.resolve("old.jsonl");
        Files.writeString(old, "{\"clientId\":\"c0\",\"completeNanos\":5001000,\"completeWallMs\":1700000000005,"
                + "\"duplicate\":false,\"epoch\":7,\"invokeNanos\":1000,\"invokeWallMs\":1700000000000,\"node\":\"node-a\","
                + "\"operationId\":\"op-1\",\"outcome\":\"ok\",\"process\":0,\"quantity\":2,\"reservationId\":\"r-1\","
                + "\"resourceId\":\"room-1\",\"runId\":\"run1\",\"type\":\"reserve\"}\n", StandardCharsets.UTF_8);
        assertEquals(List.of(acknowledged()), HistoryFile.read(old));
    }

    @Test
    void aFileWrittenRecordByRecordReadsBackInOrder() throws IOException {
        Path file = dir.resolve("sub/history.jsonl");
        try (HistoryFile history = HistoryFile.create(file)) {
            history.append(acknowledged());
            history.append(gaveUp());
        }
        assertEquals(List.of(acknowledged(), gaveUp()), HistoryFile.read(file));
    }

    @Test
    void aTornLastLineIsDroppedButATornMiddleLineIsAnError() throws IOException {
        String first = HistoryFile.format(acknowledged());
        String second = HistoryFile.format(gaveUp());
        Path torn = dir.resolve("torn.jsonl");
        Files.writeString(torn, first + "\n" + second.substring(0, 20), StandardCharsets.UTF_8);
        assertEquals(List.of(acknowledged()), HistoryFile.read(torn));

        Path broken = dir.resolve("broken.jsonl");
        Files.writeString(broken, first + "\n{oops\n" + second + "\n", StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> HistoryFile.read(broken));
    }
}
