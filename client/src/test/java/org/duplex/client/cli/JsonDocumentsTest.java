package org.duplex.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.ejb.EJBAccessException;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.duplex.reservation.api.Hold;
import org.duplex.reservation.api.PrimaryBinding;
import org.duplex.reservation.api.ReservationResult;
import org.duplex.reservation.api.ResourceView;
import org.junit.jupiter.api.Test;

/**
 * The command lines' JSON as JSON-B writes it: the shapes of docs/operating.md member for member, the escaping
 * and number format the hand-written writer had, and the loadgen document read back by the code that writes it.
 */
class JsonDocumentsTest {

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("[\"a\\\"b\\\\c\",\"l1\\nl2\\r\\tend\",\"\\b\\f\\u0000\\u001f\"]",
                JsonDocuments.write(List.of("a\"b\\c", "l1\nl2\r\tend", "\b\f\u0000\u001f")));
    }

    @Test
    void lineAndParagraphSeparatorsAreEscapedOtherUnicodeLeftAlone() {
        assertEquals("[\"\\u2028\\u2029\",\"café ✓ 日本 /\"]", JsonDocuments.write(List.of("\u2028\u2029", "café ✓ 日本 /")));
    }

    @Test
    void wholeNumbersWithoutAFractionNonFiniteAsNull() {
        assertEquals("[3,1.5,0,-2,1.0E15,null,null]", JsonDocuments.write(
                List.of(3.0, 1.5, 0.0, -2.0, 1e15, Double.NaN, Double.POSITIVE_INFINITY)));
    }

    @Test
    void reservationAnswerWithEveryMemberInOrderNullsKept() {
        ReservationResult r = new ReservationResult("7a512253", "c1", "o1", "room-1", 2, ReservationResult.Status.ACTIVE,
                Instant.parse("2026-11-24T21:30:00.123Z"), 1, "node-a", true);
        assertEquals("{\"id\":\"7a512253\",\"clientId\":\"c1\",\"operationId\":\"o1\",\"resourceId\":\"room-1\","
                + "\"quantity\":2,\"status\":\"ACTIVE\",\"epoch\":1,\"node\":\"node-a\","
                + "\"createdAt\":\"2026-11-24T21:30:00.123Z\",\"duplicate\":true}",
                JsonDocuments.write(JsonAnswers.Reservation.of(r)));
        ReservationResult bare = new ReservationResult("x", "c", "o", "r", 1, null, null, 0, null, false);
        assertEquals("[{\"id\":\"x\",\"clientId\":\"c\",\"operationId\":\"o\",\"resourceId\":\"r\",\"quantity\":1,"
                + "\"status\":null,\"epoch\":0,\"node\":null,\"createdAt\":null,\"duplicate\":false}]",
                JsonDocuments.write(List.of(JsonAnswers.Reservation.of(bare))));
    }

    @Test
    void resourcePrimaryAndErrorAnswers() {
        assertEquals("{\"id\":\"room-1\",\"name\":\"Room 1\",\"capacity\":10,\"reserved\":3,\"held\":2,\"available\":5,"
                + "\"version\":4,\"duplicate\":false}",
                JsonDocuments.write(JsonAnswers.Resource.of(new ResourceView("room-1", "Room 1", 10, 3, 4, false).withHeld(2))));
        assertEquals("{\"id\":\"h-1\",\"clientId\":\"c\",\"operationId\":\"o\",\"resourceId\":\"room-1\",\"quantity\":2,"
                + "\"status\":\"HELD\",\"expiresAt\":\"2026-12-01T10:00:00Z\",\"epoch\":7,\"node\":\"node-a\",\"duplicate\":true}",
                JsonDocuments.write(JsonAnswers.HoldAnswer.of(new Hold("h-1", "c", "o", "room-1", 2,
                        Instant.parse("2026-12-01T10:00:00Z"), Hold.Status.HELD, 7, "node-a", true))));
        assertEquals("{\"node\":\"node-a\",\"url\":\"remote+http://127.0.0.1:8180\",\"epoch\":11}",
                JsonDocuments.write(JsonAnswers.Primary.of(new PrimaryBinding("node-a", "remote+http://127.0.0.1:8180", 11))));
        assertEquals("{\"error\":{\"type\":\"forbidden\",\"exception\":\"EJBAccessException\",\"message\":null}}",
                JsonAnswers.error("forbidden", new EJBAccessException(), null));
    }

    @Test
    void theLoadgenDocumentReadsBackAsWritten() {
        Map<String, Long> refused = new TreeMap<>(Map.of("resource-exhausted", 3L, "overbooking", 1L));
        LoadGenerator.Result result = new LoadGenerator.Result("96f12c29", List.of("loadgen-96f12c29-0"), 1, 2,
                30_000, 900, 0, 0, 0, 1, 0, 4, refused, 30.0, 12.0, 40.5, 858.4111, 841.0, 3, 1, null);

        String json = result.toJson();
        LoadGenerator.Summary summary = LoadGenerator.Summary.read(json);

        assertEquals("{\"runId\":\"96f12c29\",\"clientIds\":[\"loadgen-96f12c29-0\"],\"threads\":1,\"quantity\":2,"
                + "\"durationMs\":30000,\"acknowledged\":900,\"cancelled\":0,\"holds\":0,\"released\":0,\"duplicates\":1,\"errors\":0,\"refused\":4,"
                + "\"refusedByCode\":{\"overbooking\":1,\"resource-exhausted\":3},\"opsPerSec\":30,"
                + "\"latencyMs\":{\"p50\":12,\"p99\":40.5,\"max\":858.411},\"maxOutageMs\":841,\"retries\":3,"
                + "\"primaryChanges\":1,\"lastError\":null}", json);
        assertEquals(new LoadGenerator.Summary("96f12c29", List.of("loadgen-96f12c29-0"), 1, 2, 30_000, 900, 0, 0, 0, 1, 0, 4,
                refused, 30.0, new LoadGenerator.Latency(12.0, 40.5, 858.411), 841.0, 3, 1, null), summary);
        assertEquals(json, JsonDocuments.write(summary));
    }

    @Test
    void malformedOrMistypedDocumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LoadGenerator.Summary.read("{\"runId\": "));
        assertThrows(IllegalArgumentException.class, () -> LoadGenerator.Summary.read("{\"clientIds\": \"one\"}"));
    }

    /** JSON-B orders members by name unless told: each order must name exactly the record's components, in order. */
    @Test
    void everyPropertyOrderNamesTheRecordComponentsInOrder() {
        for (Class<?> type : List.of(JsonAnswers.Reservation.class, JsonAnswers.Resource.class, JsonAnswers.HoldAnswer.class,
                JsonAnswers.Primary.class,
                JsonAnswers.Error.class, LoadGenerator.Summary.class, LoadGenerator.Latency.class)) {
            assertArrayEquals(Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).toArray(),
                    type.getAnnotation(JsonbPropertyOrder.class).value(), type.getName());
        }
    }
}
