package org.duplex.it;

import static org.duplex.it.DuplexCluster.assertDatabasesIdentical;
import static org.duplex.it.DuplexCluster.count;
import static org.duplex.it.DuplexCluster.rows;
import static org.duplex.it.DuplexCluster.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.ConcurrentUpdateException;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.InvalidRequestException;
import org.duplex.reservation.api.OverbookingException;
import org.duplex.reservation.api.PrimaryBinding;
import org.duplex.reservation.api.RequestConflictException;
import org.duplex.reservation.api.ReservationResult;
import org.duplex.reservation.api.ReservationResult.Status;
import org.duplex.reservation.api.ResourceView;
import org.duplex.reservation.api.UnknownReservationException;
import org.duplex.reservation.api.UnknownResourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The write path through remote JNDI and EJB: both databases, exactly once, no overbooking, typed refusals. */
class ReplicatedWriteIT extends OnBothNodes {


    private DuplexClient client;
    private DuplexClient admin;
    private String resource;
    private final String clientId = "it-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void connect() throws Exception {
        // a short deadline: nothing fails over in this class, and a refusal must come back at once
        client = DuplexCluster.client("duplex-client", 5_000);
        admin = DuplexCluster.client("duplex-admin", 5_000);
        resource = "room-" + UUID.randomUUID().toString().substring(0, 8);
        admin.createResource(resource, "Test room " + resource, 10);
    }

    @AfterEach
    void close() {
        client.close();
        admin.close();
    }

    @Test
    void reservationMadeThroughJndiIsInBothDatabasesIdentical() throws Exception {
        PrimaryBinding primary = client.primary();
        assertEquals(rows("db-a", "select primary_node from cluster_state"), List.of(primary.node()));
        assertEquals(DuplexCluster.nodeUrl(primary.node()), primary.url());

        ReservationResult r = client.reserve(clientId, "op-1", resource, 3);

        assertFalse(r.duplicate());
        assertEquals(primary.node(), r.node());
        assertEquals(Status.ACTIVE, r.status());
        String sql = "select id, client_id, operation_id, resource_id, quantity, status, epoch, node"
                + " from reservation where id = ?";
        List<String> inA = rows("db-a", sql, r.id());
        assertEquals(List.of(r.id() + "|" + clientId + "|op-1|" + resource + "|3|ACTIVE|" + r.epoch() + "|" + primary.node()),
                inA);
        assertEquals(inA, rows("db-b", sql, r.id()));
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(List.of("3|1"), rows(db, "select reserved, version from resource where id = ?", resource), db);
        }
        assertDatabasesIdentical();
    }

    @Test
    void repeatedOperationReturnsTheOriginalAndWritesOnce() throws Exception {
        ReservationResult first = client.reserve(clientId, "op-again", resource, 2);
        ReservationResult again = client.reserve(clientId, "op-again", resource, 2);

        assertFalse(first.duplicate());
        assertTrue(again.duplicate());
        assertEquals(first.id(), again.id());
        assertEquals(first.createdAt(), again.createdAt());
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(1, count(db, "select count(*) from reservation where client_id = ? and operation_id = ?",
                    clientId, "op-again"), db);
            assertEquals(2, count(db, "select reserved from resource where id = ?", resource), db);
        }
    }

    @Test
    void concurrentReservationsNeverOverbook() throws Exception {
        int threads = 8;
        int attemptsEach = 4;
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger overbooked = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(() -> {
                    for (int i = 0; i < attemptsEach; i++) {
                        try {
                            client.reserve(clientId, "t" + thread + "-" + i, resource, 1);
                            acknowledged.incrementAndGet();
                        } catch (OverbookingException e) {
                            overbooked.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(work, 120, TimeUnit.SECONDS)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(10, acknowledged.get(), "capacity is 10");
        assertEquals(threads * attemptsEach - 10, overbooked.get());
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(10, count(db, "select reserved from resource where id = ?", resource), db);
            assertEquals(10, count(db, "select coalesce(sum(quantity), 0) from reservation where resource_id = ?",
                    resource), db);
        }
        assertDatabasesIdentical();
    }

    @Test
    void badInputIsRefusedWithItsTypeAndChangesNothing() throws Exception {
        ReservationResult existing = client.reserve(clientId, "op-kept", resource, 4);
        ResourceView grown = admin.changeCapacity(clientId, "op-grow", resource, 12, admin.getResource(resource).version());
        ResourceView before = client.getResource(resource);
        assertEquals(grown.version(), before.version());
        Map<String, List<String>> a = snapshot("db-a");
        Map<String, List<String>> b = snapshot("db-b");
        List<String> operations = inventoryOperations("db-a");

        refused(InvalidRequestException.class, "clientId is required", () -> client.reserve(null, "op", resource, 1));
        refused(InvalidRequestException.class, "operationId is required", () -> client.reserve(clientId, " ", resource, 1));
        refused(InvalidRequestException.class, "quantity must be between 1", () -> client.reserve(clientId, "op", resource, 0));
        refused(InvalidRequestException.class, "quantity must be between 1",
                () -> client.reserve(clientId, "op", resource, 1001));
        refused(InvalidRequestException.class, "clientId is 65 characters long",
                () -> client.reserve("c".repeat(65), "op", resource, 1));
        refused(InvalidRequestException.class, "resourceId may hold only",
                () -> client.reserve(clientId, "op", "room 1; drop table reservation", 1));
        refused(InvalidRequestException.class, "name is 201 characters long",
                () -> admin.createResource("room-x", "n".repeat(201), 1));
        refused(UnknownResourceException.class, "no resource with id nowhere",
                () -> client.reserve(clientId, "op", "nowhere", 1));
        refused(OverbookingException.class, "8 units available; 9 requested",
                () -> client.reserve(clientId, "op", resource, 9));
        refused(RequestConflictException.class, "was already used to reserve",
                () -> client.reserve(clientId, "op-kept", resource, 1));
        refused(UnknownReservationException.class, "has no reservation",
                () -> client.cancel("someone-else", "cancel-1", existing.id()));
        refused(ConcurrentUpdateException.class, "is at version",
                () -> admin.changeCapacity(resource, 20, before.version() - 1));
        refused(OverbookingException.class, "capacity cannot go down to 3",
                () -> admin.changeCapacity(resource, 3, before.version()));
        refused(RequestConflictException.class, "already exists",
                () -> admin.createResource(resource, "another name", 10));
        refused(RequestConflictException.class, "already exists",
                () -> admin.createResource(resource, "Test room " + resource, 10));
        refused(InvalidRequestException.class, "clientId is required",
                () -> admin.changeCapacity(null, "op-cap", resource, 20, before.version()));
        refused(InvalidRequestException.class, "operationId may hold only",
                () -> admin.createResource(clientId, "op x", "room-y", "Room y", 1));
        // an operation id already used for an inventory write, sent with other arguments
        refused(RequestConflictException.class, "was already used to change the capacity of " + resource + " to 12",
                () -> admin.changeCapacity(clientId, "op-grow", resource, 13, before.version() - 1));
        refused(RequestConflictException.class, "was already used to change the capacity of",
                () -> admin.createResource(clientId, "op-grow", "room-z", "Room z", 12));

        assertEquals(a, snapshot("db-a"), "a refused request changed db-a");
        assertEquals(b, snapshot("db-b"), "a refused request changed db-b");
        assertEquals(operations, inventoryOperations("db-a"), "a refused request recorded an operation in db-a");
        assertEquals(operations, inventoryOperations("db-b"), "a refused request recorded an operation in db-b");
        assertDatabasesIdentical();
    }

    @Test
    void cancelIsExactlyOnceAndReleasesInBothDatabases() throws Exception {
        ReservationResult r = client.reserve(clientId, "op-c", resource, 5);
        ReservationResult cancelled = client.cancel(clientId, "cancel-op", r.id());
        ReservationResult again = client.cancel(clientId, "cancel-op", r.id());

        assertEquals(Status.CANCELLED, cancelled.status());
        assertFalse(cancelled.duplicate());
        assertTrue(again.duplicate());
        refused(RequestConflictException.class, "already cancelled by operation cancel-op",
                () -> client.cancel(clientId, "other-cancel", r.id()));
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(List.of("0"), rows(db, "select reserved from resource where id = ?", resource), db);
            assertEquals(List.of("CANCELLED|cancel-op"),
                    rows(db, "select status, cancel_operation_id from reservation where id = ?", r.id()), db);
        }
        assertEquals(Status.CANCELLED, client.getReservation(clientId, r.id()).status());
        assertDatabasesIdentical();
    }

    @Test
    void capacityChangeIsOptimistic() throws Exception {
        ResourceView v0 = admin.getResource(resource);
        ResourceView v1 = admin.changeCapacity(resource, 50, v0.version());

        assertEquals(50, v1.capacity());
        assertEquals(v0.version() + 1, v1.version());
        // a second writer that read v0 loses: its change is refused, not silently applied
        refused(ConcurrentUpdateException.class, "is at version " + v1.version(),
                () -> admin.changeCapacity(resource, 70, v0.version()));
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(List.of("50|" + v1.version()),
                    rows(db, "select capacity, version from resource where id = ?", resource), db);
        }
    }

    @Test
    void resentInventoryWritesAnswerTheOriginalAndWriteOnce() throws Exception {
        String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
        ResourceView created = admin.createResource(clientId, "op-create", room, "Once room", 10);
        ResourceView grown = admin.changeCapacity(clientId, "op-grow", room, 20, created.version());
        client.reserve(clientId, "op-r", room, 3);
        ResourceView now = admin.changeCapacity(clientId, "op-grow-more", room, 25, admin.getResource(room).version());

        assertFalse(created.duplicate());
        assertFalse(grown.duplicate());
        // resent after their answers were lost, and after the resource changed since: the original answers
        ResourceView createdAgain = admin.createResource(clientId, "op-create", room, "Once room", 10);
        ResourceView grownAgain = admin.changeCapacity(clientId, "op-grow", room, 20, created.version());
        assertTrue(createdAgain.duplicate(), "not refused as existing");
        assertEquals(List.of(room, "Once room", 10L, 0L, 0L), fields(createdAgain));
        assertEquals(fields(created), fields(createdAgain));
        assertTrue(grownAgain.duplicate(), "not refused as a stale version");
        assertEquals(List.of(room, "Once room", 20L, 0L, created.version() + 1), fields(grownAgain));
        assertEquals(fields(grown), fields(grownAgain));

        // another operation id is another request: the creation exists, the version moved on
        refused(RequestConflictException.class, "already exists",
                () -> admin.createResource(clientId, "op-create-2", room, "Once room", 10));
        refused(ConcurrentUpdateException.class, "is at version " + now.version(),
                () -> admin.changeCapacity(clientId, "op-grow-2", room, 20, created.version()));
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(List.of("25|3|" + now.version()),
                    rows(db, "select capacity, reserved, version from resource where id = ?", room), db);
            assertEquals(List.of("op-create|CREATE|10|null|0", "op-grow|CAPACITY|20|0|1", "op-grow-more|CAPACITY|25|2|3"),
                    rows(db, "select operation_id, kind, capacity, expected_version, version from inventory_operation"
                            + " where resource_id = ? order by applied_at, operation_id", room), db);
        }
        assertEquals(inventoryOperations("db-a"), inventoryOperations("db-b"));
        assertDatabasesIdentical();
    }

    @Test
    void racingSendsOfOneCapacityChangeApplyItOnce() throws Exception {
        ResourceView v0 = admin.getResource(resource);
        int sends = 4;
        ExecutorService pool = Executors.newFixedThreadPool(sends);
        List<ResourceView> answers = new ArrayList<>();
        try {
            List<Callable<ResourceView>> work = new ArrayList<>();
            for (int i = 0; i < sends; i++) {
                work.add(() -> admin.changeCapacity(clientId, "op-race", resource, 40, v0.version()));
            }
            for (Future<ResourceView> f : pool.invokeAll(work, 60, TimeUnit.SECONDS)) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, answers.stream().filter(r -> !r.duplicate()).count(), answers.toString());
        assertEquals(1, answers.stream().map(ReplicatedWriteIT::fields).distinct().count(), answers.toString());
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(List.of("40|" + (v0.version() + 1)),
                    rows(db, "select capacity, version from resource where id = ?", resource), db);
            assertEquals(1, count(db, "select count(*) from inventory_operation where client_id = ? and operation_id = ?",
                    clientId, "op-race"), db);
        }
        assertDatabasesIdentical();
    }

    private static List<Object> fields(ResourceView v) {
        return List.of(v.id(), v.name(), v.capacity(), v.reserved(), v.version());
    }

    /** Every recorded inventory write in one database. */
    static List<String> inventoryOperations(String database) throws Exception {
        return rows(database, "select id, client_id, operation_id, kind, resource_id, capacity, expected_version, name,"
                + " reserved, version, applied_at, epoch, node from inventory_operation order by id");
    }

    private static void refused(Class<? extends DuplexException> type, String messagePart, Executable call) {
        DuplexException e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(messagePart), () -> "message '" + e.getMessage() + "' lacks '" + messagePart + "'");
        assertFalse(e.retryable(), type.getSimpleName() + " is final");
    }
}
