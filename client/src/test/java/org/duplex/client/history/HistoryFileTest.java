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
                1_700_000_000_000L, 1_700_000_000_005L, 1_000, 5_001_000, 7L, "node-a", false, null, null);
    }

    static HistoryRecord gaveUp() {
        return new HistoryRecord("run1", 1, Type.CANCEL, "c1", "op-2", "room-2", 1, "r-9", Outcome.INFO,
                1_700_000_000_001L, 1_700_000_030_001L, 2_000, 30_000_002_000L, null, null, null, "gave-up",
                "gave up on cancel after 12 attempt(s)");
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
