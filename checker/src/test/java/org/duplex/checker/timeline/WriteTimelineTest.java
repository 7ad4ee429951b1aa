package org.duplex.checker.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.duplex.client.history.HistoryRecord;
import org.duplex.client.history.HistoryRecord.Outcome;
import org.duplex.client.history.HistoryRecord.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteTimelineTest {

    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private static HistoryRecord op(int n, Outcome outcome, long invokeMs, long completeMs) {
        return new HistoryRecord("run", 0, Type.RESERVE, "c", "op-" + n, "room-1", 1, outcome == Outcome.OK ? "r-" + n : null,
                outcome, T0 + invokeMs, T0 + completeMs, invokeMs * 1_000_000, completeMs * 1_000_000,
                outcome == Outcome.OK ? 1L : null, outcome == Outcome.OK ? "node-a" : null,
                outcome == Outcome.OK ? false : null, outcome == Outcome.OK ? null : "gave-up", null, null);
    }

    @Test
    void theLongestGapBetweenAcknowledgedWritesIsTheOutageAndEachSecondCountsItsAcks() {
        List<HistoryRecord> history = new ArrayList<>();
        history.add(op(1, Outcome.OK, 0, 100));
        history.add(op(2, Outcome.OK, 100, 900));
        // a partition: one request hangs and gives up, nothing is acknowledged from 0.9 s to 6.2 s
        history.add(op(3, Outcome.INFO, 900, 5_900));
        history.add(op(4, Outcome.FAIL, 5_900, 6_000));
        history.add(op(5, Outcome.OK, 6_000, 6_200));
        history.add(op(6, Outcome.OK, 6_200, 6_500));

        WriteTimeline t = WriteTimeline.of(history, List.of(new FaultInterval("s", "partition", "partition a | b", T0 + 1_000, T0 + 5_000L)));

        assertEquals(5_300, t.longestOutageMs());
        assertEquals(900, t.outageFromMs());
        assertEquals(4, t.acknowledged());
        assertEquals(1, t.refused());
        assertEquals(1, t.unknown());
        assertEquals(List.of(2L, 0L, 0L, 0L, 0L, 0L, 2L), t.perSecond());
    }

    @Test
    void aRunWithNoAcknowledgedWriteIsOneOutageFromStartToEnd() {
        WriteTimeline t = WriteTimeline.of(List.of(op(1, Outcome.INFO, 0, 30_000)), List.of());
        assertEquals(30_000, t.longestOutageMs());
        assertEquals(0, t.outageFromMs());
    }

    @Test
    void theChartIsWrittenWithFaultsShadedEvenOneNeverHealed() throws Exception {
        List<HistoryRecord> history = List.of(op(1, Outcome.OK, 0, 500), op(2, Outcome.OK, 3_000, 3_500));
        WriteTimeline t = WriteTimeline.of(history, List.of(
                new FaultInterval("s", "kill", "kill node-a", T0 + 1_000, T0 + 2_000L),
                new FaultInterval("s", "kill", "kill db-a", T0 + 2_200, T0 + 2_400L),
                new FaultInterval("s", "pause", "pause db-w", T0 + 2_500, null)));
        Path png = dir.resolve("timeline-s.png");
        TimelineChart.save(t, "s", png);
        assertTrue(Files.size(png) > 1000, "a PNG was written");
    }
}
