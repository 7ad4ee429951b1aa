package org.duplex.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.duplex.reservation.api.InvalidRequestException;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

    private static RequestBody body(String json) throws InvalidRequestException {
        return RequestBody.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static void refused(String messagePart, org.junit.jupiter.api.function.Executable call) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, call);
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void readsTheMembers() throws Exception {
        RequestBody b = body("{\"clientId\":\"c1\",\"quantity\":3,\"big\":9000000000}");

        assertEquals("c1", b.text("clientId"));
        assertNull(b.text("operationId"));
        assertEquals(3, b.integer("quantity"));
        assertEquals(9_000_000_000L, b.wholeNumber("big"));
    }

    @Test
    void refusesWhatIsNotAJsonObjectOfTheRightTypes() {
        refused("not valid JSON", () -> body("{\"clientId\":"));
        refused("must be a JSON object", () -> body("[1,2]"));
        refused("a JSON object is required", () -> body(""));
        refused("clientId must be a JSON string", () -> body("{\"clientId\":7}").text("clientId"));
        refused("quantity must be a JSON number", () -> body("{\"quantity\":\"3\"}").integer("quantity"));
        refused("quantity must be a whole number", () -> body("{\"quantity\":1.5}").integer("quantity"));
        refused("quantity is required", () -> body("{}").integer("quantity"));
        refused("quantity is out of range", () -> body("{\"quantity\":9000000000}").integer("quantity"));
        refused("larger than", () -> body("{\"x\":\"" + "a".repeat(RequestBody.MAX_BYTES) + "\"}"));
    }

    @Test
    void anOptionalNumberFallsBackOnlyWhenAbsent() throws Exception {
        assertEquals(600, body("{}").optionalInteger("seconds", 600));
        assertEquals(600, body("{\"seconds\":null}").optionalInteger("seconds", 600));
        assertEquals(30, body("{\"seconds\":30}").optionalInteger("seconds", 600));
        refused("seconds must be a JSON number", () -> body("{\"seconds\":\"30\"}").optionalInteger("seconds", 600));
    }
}
