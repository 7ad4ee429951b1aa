package org.duplex.reservation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.duplex.reservation.api.InvalidRequestException;
import org.duplex.reservation.api.ReservationService;
import org.junit.jupiter.api.Test;

class RequestRulesTest {

    @Test
    void idsMustBePresentShortAndPlain() throws Exception {
        assertEquals("client-1", RequestRules.id("clientId", "client-1"));
        assertEquals("a.b_c:d@e-f", RequestRules.id("clientId", "a.b_c:d@e-f"));
        assertTrue(assertThrows(InvalidRequestException.class, () -> RequestRules.id("clientId", null))
                .getMessage().startsWith("clientId is required"));
        assertThrows(InvalidRequestException.class, () -> RequestRules.id("clientId", "  "));
        assertThrows(InvalidRequestException.class, () -> RequestRules.id("clientId", "with space"));
        assertThrows(InvalidRequestException.class, () -> RequestRules.id("clientId", "tab\there"));
        String longest = "x".repeat(ReservationService.MAX_ID_LENGTH);
        assertEquals(longest, RequestRules.id("operationId", longest));
        InvalidRequestException tooLong = assertThrows(InvalidRequestException.class,
                () -> RequestRules.id("operationId", longest + "x"));
        assertTrue(tooLong.getMessage().contains("operationId is 65 characters long"), tooLong.getMessage());
        assertEquals("invalid-request", tooLong.code());
    }

    @Test
    void quantityIsBounded() throws Exception {
        assertEquals(1, RequestRules.quantity(1));
        assertEquals(ReservationService.MAX_QUANTITY, RequestRules.quantity(ReservationService.MAX_QUANTITY));
        assertThrows(InvalidRequestException.class, () -> RequestRules.quantity(0));
        assertThrows(InvalidRequestException.class, () -> RequestRules.quantity(-5));
        assertThrows(InvalidRequestException.class, () -> RequestRules.quantity(ReservationService.MAX_QUANTITY + 1));
    }

    @Test
    void capacityAndNameAreBounded() throws Exception {
        assertEquals(0, RequestRules.capacity(0));
        assertThrows(InvalidRequestException.class, () -> RequestRules.capacity(-1));
        assertThrows(InvalidRequestException.class, () -> RequestRules.capacity(ReservationService.MAX_CAPACITY + 1));
        assertEquals("Room 1", RequestRules.name("Room 1"));
        assertThrows(InvalidRequestException.class, () -> RequestRules.name(""));
        assertThrows(InvalidRequestException.class, () -> RequestRules.name("a\u0000b"));
        assertThrows(InvalidRequestException.class,
                () -> RequestRules.name("n".repeat(ReservationService.MAX_NAME_LENGTH + 1)));
    }

    @Test
    void holdSecondsAreFromOneToTheDocumentedMaximum() throws Exception {
        assertEquals(1, RequestRules.holdSeconds(1));
        assertEquals(ReservationService.DEFAULT_HOLD_SECONDS, RequestRules.holdSeconds(ReservationService.DEFAULT_HOLD_SECONDS));
        assertEquals(ReservationService.MAX_HOLD_SECONDS, RequestRules.holdSeconds(ReservationService.MAX_HOLD_SECONDS));
        for (int bad : new int[] {0, -1, ReservationService.MAX_HOLD_SECONDS + 1, Integer.MIN_VALUE}) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> RequestRules.holdSeconds(bad));
            assertTrue(refused.getMessage().startsWith("seconds must be between 1 and 3600"), refused.getMessage());
        }
    }
}
