package org.duplex.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The loadgen's output contract (docs/operating.md, and the launcher reads {@code latencyMs}): field names
 * and order of the JSON, latencies and rates in ms rounded to 3 decimals there, and the text summary's
 * lines with 2 decimals for latencies.
 */
class LoadGeneratorResultTest {

    private static LoadGenerator.Result result(String lastError) {
        return new LoadGenerator.Result("96f12c29", List.of("loadgen-96f12c29-0", "loadgen-96f12c29-1"), 2, 1,
                45_012, 10_112, 7, 5, 2, 0, 1, 3, Map.of("resource-exhausted", 3L), 224.6123456,
                14.93349, 56.4686, 858.4111, 841.3049, 24, 2, lastError);
    }

    @Test
    void jsonFieldsUnitsAndRounding() {
        assertEquals("{\"runId\":\"96f12c29\",\"clientIds\":[\"loadgen-96f12c29-0\",\"loadgen-96f12c29-1\"],"
                + "\"threads\":2,\"quantity\":1,\"durationMs\":45012,\"acknowledged\":10112,\"cancelled\":7,"
                + "\"holds\":5,\"released\":2,\"duplicates\":0,\"errors\":1,\"refused\":3,\"refusedByCode\":{\"resource-exhausted\":3},"
                + "\"opsPerSec\":224.612,\"latencyMs\":{\"p50\":14.933,\"p99\":56.469,\"max\":858.411},"
                + "\"maxOutageMs\":841.305,\"retries\":24,\"primaryChanges\":2,\"lastError\":null}",
                result(null).toJson());
    }

    @Test
    void summaryLines() {
        assertEquals(String.join(System.lineSeparator(),
                "loadgen run 96f12c29: 2 thread(s), 45.0 s, quantity 1",
                "  acknowledged 10112 (duplicates 0), cancelled 7, holds 5 (released 2), refused 3 {resource-exhausted=3}, errors (gave up) 1",
                "  224.6 ops/s; latency of acknowledged requests ms: p50 14.93, p99 56.47, max 858.41",
                "  longest time without a success 841.3 ms; retries 24; primary changes 2",
                "  last error: gave up after 30000 ms"),
                result("gave up after 30000 ms").summary());
    }
}
