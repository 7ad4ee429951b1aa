package org.duplex.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code results.json} read and written by the one record type the runner and the report share. */
class BenchResultsTest {

    @Test
    void aRealFileReadsAndWritesBackAsTheRunnerWroteIt() throws IOException {
        String written;
        try (InputStream in = BenchResultsTest.class.getResourceAsStream("results-2026-11-30-throughput.json")) {
            written = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        BenchResults results = BenchResults.read(written);

        assertEquals(8, results.throughput().size());
        assertEquals(new BenchResults.ThroughputCell(1, "xa", 37.78, 23.32, 58.07, 152L, 0L), results.throughput().get(0));
        assertEquals(new BenchResults.Machine(2, 23.5, "17.0.15", "Linux 6.18.44-fc-v782"), results.machine());
        assertNull(results.failover());
        assertEquals(written, results.toJson());
    }

    @Test
    void sectionsAndFiguresARunLeftOutReadAsAbsent() {
        BenchResults results = BenchResults.read(BenchReportTest.FULL_RESULTS);

        List<BenchResults.FailoverRun> duplex = results.failover().duplex().runs();
        assertEquals(243.0, duplex.get(0).outageMs());
        assertNull(duplex.get(1).preparedLeft());
        assertNull(duplex.get(0).recoveryMs());
        assertEquals(15000.0, results.failover().stock().runs().get(0).recoveryMs());
        assertEquals(350, results.timeline().buckets().size());
        assertNull(results.timeline().buckets().get(50).p50Ms());
        assertEquals(List.of(), BenchResults.read("{\"hung\": {}}").hung().runs());
        assertNull(BenchResults.read("{\"failover\": {\"stock\": null}}").failover().stock());
    }

    @Test
    void absentFiguresAreLeftOutOfTheFile() {
        BenchResults.FailoverRun stock = new BenchResults.FailoverRun(57.0, null, 1000L, 1003L, 1001L, null, 4L, 3L, 0L,
                1L, 2L, 2L, null, 0L, "");

        assertEquals("{\"outageMs\":57,\"acknowledged\":1000,\"rowsA\":1003,\"rowsB\":1001,\"errors\":4,"
                + "\"committedDespiteError\":3,\"acknowledgedMissingA\":0,\"acknowledgedMissingB\":1,"
                + "\"rowsInOneDatabase\":2,\"preparedLeft\":2,\"rowsInOneDatabaseAfterRecovery\":0,\"firstError\":\"\"}",
                new BenchResults(null, null, null, null, null,
                        new BenchResults.Failover(null, new BenchResults.Runs<>(List.of(stock))), null, null, null, null, null)
                        .toJson().replace("{\"failover\":{\"stock\":{\"runs\":[", "").replace("]}}}", ""));
    }

    /** Moved from the hand-written reader's tests: what is not one well-formed JSON text is refused, nothing guessed. */
    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"date\" 1}", "{\"date\": \"d\",}", "{date: \"d\"}", "{'date': \"d\"}",
            "{\"throughput\": [1, 2", "{\"throughput\": [{} {}]}", "{\"machine\": {\"cores\": 01}}",
            "{\"machine\": {\"cores\": -}}", "{\"machine\": {\"memoryGiB\": 1.}}", "{\"machine\": {\"memoryGiB\": .5}}",
            "{\"machine\": {\"memoryGiB\": +1}}", "{\"machine\": {\"memoryGiB\": 1e}}", "{\"date\": \"abc",
            "{\"date\": \"bad \\x escape\"}", "{\"date\": \"\\u12G4\"}", "{\"date\": \"tab\tinside\"}", "{\"note\": tru}",
            "{\"machine\": {\"memoryGiB\": NaN}}", "{} {}", "{} x", "{\"throughput\": {\"threads\": 1}}"})
    void malformedResultsAreRefused(String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchResults.read(json));
        assertTrue(e.getMessage().startsWith("not a BenchResults document"), e.getMessage());
    }

    /** JSON-B orders members by name unless told: each order must name exactly the record's components, in order. */
    @Test
    void everyPropertyOrderNamesTheRecordComponentsInOrder() {
        for (Class<?> type : BenchResults.class.getDeclaredClasses()) {
            JsonbPropertyOrder order = type.getAnnotation(JsonbPropertyOrder.class);
            if (type.isRecord() && order != null) {
                assertArrayEquals(Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).toArray(), order.value(),
                        type.getName());
            }
        }
        assertArrayEquals(Arrays.stream(BenchResults.class.getRecordComponents()).map(c -> c.getName()).toArray(),
                BenchResults.class.getAnnotation(JsonbPropertyOrder.class).value());
    }
}
