package org.duplex.reservation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.duplex.reservation.api.InvalidRequestException;
import org.duplex.reservation.api.RequestConflictException;
import org.duplex.reservation.api.ResourceView;
import org.junit.jupiter.api.Test;

/** Telling a resend of an inventory write from an operation id reused for another request. */
class InventoryRequestTest {

    private static InventoryRequest create(String op, String resource, String name, long capacity) throws Exception {
        return InventoryRequest.create("admin", op, resource, name, capacity);
    }

    private static InventoryRequest change(String op, String resource, long capacity, long version) throws Exception {
        return InventoryRequest.changeCapacity("admin", op, resource, capacity, version);
    }

    @Test
    void theSameRequestAgainIsAResend() throws Exception {
        assertDoesNotThrow(() -> create("op-1", "room-1", "Room 1", 10).checkResendOf(create("op-1", "room-1", "Room 1", 10)));
        assertDoesNotThrow(() -> change("op-2", "room-1", 20, 3).checkResendOf(change("op-2", "room-1", 20, 3)));
    }

    @Test
    void anythingElseUnderTheSameOperationIdIsAConflictNamingTheFirstUse() throws Exception {
        InventoryRequest created = create("op-1", "room-1", "Room 1", 10);
        for (InventoryRequest other : new InventoryRequest[] {create("op-1", "room-2", "Room 1", 10),
                create("op-1", "room-1", "Room one", 10), create("op-1", "room-1", "Room 1", 11),
                change("op-1", "room-1", 10, 0)}) {
            RequestConflictException e = assertThrows(RequestConflictException.class, () -> other.checkResendOf(created));
            assertEquals("operation op-1 of client admin was already used to create resource room-1 'Room 1' with"
                    + " capacity 10; use a new operation id for a new request", e.getMessage());
            assertEquals("conflict", e.code());
        }
        InventoryRequest changed = change("op-2", "room-1", 20, 3);
        for (InventoryRequest other : new InventoryRequest[] {change("op-2", "room-1", 20, 4),
                change("op-2", "room-1", 21, 3), change("op-2", "room-2", 20, 3), create("op-2", "room-1", "Room 1", 20)}) {
            RequestConflictException e = assertThrows(RequestConflictException.class, () -> other.checkResendOf(changed));
            assertTrue(e.getMessage().contains("already used to change the capacity of room-1 to 20 at version 3"),
                    e.getMessage());
        }
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsRead() {
        assertTrue(assertThrows(InvalidRequestException.class, () -> InventoryRequest.create(null, "op", "r", "n", 1))
                .getMessage().startsWith("clientId is required"));
        assertTrue(assertThrows(InvalidRequestException.class, () -> create("op x", "r", "n", 1))
                .getMessage().startsWith("operationId may hold only"));
        assertTrue(assertThrows(InvalidRequestException.class, () -> create("op", "r", " ", 1))
                .getMessage().startsWith("name is required"));
        assertTrue(assertThrows(InvalidRequestException.class, () -> change("op", "r", -1, 0))
                .getMessage().startsWith("capacity must be between 0"));
        assertTrue(assertThrows(InvalidRequestException.class, () -> change("op", null, 1, 0))
                .getMessage().startsWith("resourceId is required"));
    }

    @Test
    void aRecordedOperationGivesBackItsRequestAndItsAnswer() throws Exception {
        InventoryRequest changed = change("op-2", "room-1", 20, 3);
        InventoryOperation recorded = new InventoryOperation("id-1", changed,
                new ResourceView("room-1", "Room 1", 20, 7, 4), Instant.EPOCH, 5, "node-a");
        assertEquals(changed, recorded.request());
        ResourceView answer = recorded.answer(true);
        assertTrue(answer.duplicate());
        assertEquals("room-1 'Room 1' capacity=20 reserved=7 version=4 (duplicate)", answer.toString());

        InventoryRequest created = create("op-1", "room-1", "Room 1", 10);
        InventoryOperation creation = new InventoryOperation("id-0", created,
                new ResourceView("room-1", "Room 1", 10, 0, 0), Instant.EPOCH, 5, "node-a");
        assertEquals(created, creation.request());
    }
}
