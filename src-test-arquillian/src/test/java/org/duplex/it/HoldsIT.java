package org.duplex.it;

import static org.duplex.it.DuplexCluster.count;
import static org.duplex.it.DuplexCluster.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.duplex.client.DuplexClient;
import org.duplex.client.GaveUpException;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.ForeignClientException;
import org.duplex.reservation.api.Hold;
import org.duplex.reservation.api.HoldExpiredException;
import org.duplex.reservation.api.InvalidRequestException;
import org.duplex.reservation.api.NotPrimaryException;
import org.duplex.reservation.api.OverbookingException;
import org.duplex.reservation.api.RequestConflictException;
import org.duplex.reservation.api.ReservationResult;
import org.duplex.reservation.api.ReservationService;
import org.duplex.reservation.api.UnknownHoldException;
import org.duplex.reservation.api.UnknownResourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Holds on the real two-node cluster (issue 12, docs/holds.md): a hold survives the kill -9 of the primary
 * and is confirmed once on the new one; an expired hold frees its units across a failover; concurrent holds
 * and reserves never take more than the capacity; bad input is refused, typed, and changes nothing; a
 * paused-then-resumed old primary cannot place a hold. Each test counts what clients were told against
 * what both databases and the new primary hold.
 */
class HoldsIT extends OnBothNodes {

    private DuplexClient client;
    private final String clientId = "holds-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void connect() throws Exception {
        client = DuplexCluster.client("duplex-client", 30_000);
        holdsServeOnBothNodes();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        resumeRunningNodes();
    }

    /**
     * A hold needs both nodes in the cache view: after a test restarted or paused a node, the view may take
     * a while to merge again, so a probe hold is placed (and released) until one is acknowledged.
     */
    private void holdsServeOnBothNodes() throws Exception {
        String probe = DuplexCluster.freshResource("probe", 1);
        try (DuplexClient quick = DuplexCluster.client("duplex-client", 3_000)) {
            Poll.until(Duration.ofSeconds(120), "holds placed on both nodes", () -> {
                String op = "probe-" + UUID.randomUUID();
                try {
                    Hold h = quick.hold(clientId, op, probe, 1, 60);
                    quick.release(clientId, op + "-release", h.id());
                    return true;
                } catch (GaveUpException notYet) {
                    return false;
                }
            });
        }
    }

    /**
     * One kill of the primary, two holds placed before it: one is confirmed on the new primary (exactly one
     * reservation, in both databases), the other lapses there at its expiry and its units come back. One
     * kill serves both (each kill costs a node's boot in the suite).
     */
    @Test
    void aHoldSurvivesTheKillOfThePrimaryAndAnotherExpiresThereAtItsExpiry() throws Exception {
        String resource = DuplexCluster.freshResource("held", 10);
        String expiring = DuplexCluster.freshResource("expiring", 5);
        String primary = client.primary().node();
        String backup = RestCalls.other(primary);
        double expiredBefore = DuplexCluster.metric(backup, "duplex_holds_total", "event=\"expired\"");
        Hold held = client.hold(clientId, "hold-1", resource, 4, 600);
        assertEquals(Hold.Status.HELD, held.status());
        assertFalse(held.duplicate());
        assertEquals(6, client.getResource(resource).available());
        Hold shortHold = client.hold(clientId, "short", expiring, 5, 15);
        assertThrows(OverbookingException.class, () -> client.reserve(clientId, "early", expiring, 1));
        String status = DuplexCluster.launcher("status", "--json");
        assertTrue(java.util.regex.Pattern.compile("\"" + resource + "\"\\s*:\\s*4\\b").matcher(status).find(),
                "./duplex status --json shows the held units: " + status);

        killNode(primary);
        Poll.until(Duration.ofSeconds(20), backup + " promoted", () -> "primary".equals(DuplexCluster.role(backup)));

        // the resend of the same hold finds it, with its original expiry, on the new primary
        Hold again = client.hold(clientId, "hold-1", resource, 4, 600);
        assertEquals(held.id(), again.id());
        assertTrue(again.duplicate());
        assertEquals(held.expiresAt(), again.expiresAt());
        assertEquals(Hold.Status.HELD, again.status());
        assertTrue(client.listHolds(clientId).stream().map(Hold::id).toList().contains(held.id()));
        // it still counts: 6 units are left, not 10
        assertEquals(4, client.getResource(resource).held());
        OverbookingException over = assertThrows(OverbookingException.class,
                () -> client.reserve(clientId, "too-many", resource, 7));
        assertTrue(over.getMessage().contains("4 held"), over.getMessage());

        ReservationResult confirmed = client.confirm(clientId, "confirm-1", held.id());
        assertEquals(held.id(), confirmed.id());
        assertEquals(4, confirmed.quantity());
        assertEquals(backup, confirmed.node());
        ReservationResult resent = client.confirm(clientId, "confirm-1", held.id());
        assertTrue(resent.duplicate());
        assertEquals(confirmed.id(), resent.id());
        assertThrows(UnknownHoldException.class, () -> client.confirm(clientId, "confirm-2", held.id()),
                "a hold is confirmed once, whatever the operation id");
        assertThrows(UnknownHoldException.class, () -> client.release(clientId, "release-1", held.id()));
        assertEquals(Hold.Status.CONFIRMED, client.hold(clientId, "hold-1", resource, 4, 600).status());
        assertFalse(client.listHolds(clientId).stream().map(Hold::id).toList().contains(held.id()));
        client.reserve(clientId, "the-rest", resource, 6);

        // the other hold: refused (nothing written) until its expiry, then taken: polled, the expiry decides
        Poll.until(Duration.ofSeconds(60), "the held units available again", () -> {
            try {
                client.reserve(clientId, "after-expiry", expiring, 5);
            } catch (OverbookingException stillHeld) {
                return false;
            }
            assertFalse(Instant.now().isBefore(shortHold.expiresAt()), "units available before the hold's expiry");
            return true;
        });
        assertThrows(HoldExpiredException.class, () -> client.confirm(clientId, "too-late", shortHold.id()));
        assertThrows(HoldExpiredException.class, () -> client.release(clientId, "too-late-release", shortHold.id()));
        assertEquals(Hold.Status.EXPIRED, client.hold(clientId, "short", expiring, 5, 15).status());
        assertEquals(List.of(), client.listHolds(clientId));
        Poll.until(Duration.ofSeconds(30), "the expiry counted by the new primary", () ->
                DuplexCluster.metric(backup, "duplex_holds_total", "event=\"expired\"") > expiredBefore);

        for (String db : DuplexCluster.DATABASES) {
            assertEquals(List.of(held.id() + "|confirm-1|4"), rows(db,
                    "select id, operation_id, quantity from reservation where client_id = ? and id = ?", clientId,
                    held.id()), db);
            assertEquals(10, count(db, "select reserved from resource where id = ?", resource), db);
            assertEquals(0, count(db, "select count(*) from reservation where id = ?", shortHold.id()), db);
            assertEquals(5, count(db, "select reserved from resource where id = ?", expiring), db);
        }
        startIfNeeded(primary);
        DuplexCluster.assertDatabasesIdentical();
    }

    @Test
    void concurrentHoldsReservesAndConfirmsNeverTakeMoreThanTheCapacity() throws Exception {
        long capacity = 40;
        String resource = DuplexCluster.freshResource("contended", capacity);
        Map<String, Integer> heldAcknowledged = new ConcurrentHashMap<>();
        AtomicLong reservedAcknowledged = new AtomicLong();
        Map<String, Integer> confirmed = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                work.add(() -> {
                    for (int i = 0; i < 12; i++) {
                        String op = "t" + thread + "-" + i;
                        int quantity = 1 + (thread + i) % 3;
                        try {
                            if (i % 3 == 2) {
                                client.reserve(clientId, op, resource, quantity);
                                reservedAcknowledged.addAndGet(quantity);
                            } else {
                                Hold h = client.hold(clientId, op, resource, quantity, 600);
                                heldAcknowledged.put(h.id(), quantity);
                                if (i % 3 == 1) {
                                    client.confirm(clientId, op + "-confirm", h.id());
                                    confirmed.put(h.id(), quantity);
                                }
                            }
                        } catch (OverbookingException full) {
                            // refused, nothing written: the capacity is taken
                        }
                    }
                    return null;
                });
            }
            for (Future<Void> f : threads.invokeAll(work)) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        long held = heldAcknowledged.values().stream().mapToLong(Integer::longValue).sum();
        long stillHeld = held - confirmed.values().stream().mapToLong(Integer::longValue).sum();
        long reserved = reservedAcknowledged.get() + (held - stillHeld);
        assertTrue(reserved + stillHeld <= capacity, reserved + " reserved + " + stillHeld + " held > " + capacity);
        assertTrue(reserved + stillHeld > capacity - 3, "the load should have filled the resource: "
                + reserved + " reserved + " + stillHeld + " held of " + capacity);
        assertEquals(stillHeld, client.getResource(resource).held());
        assertEquals(stillHeld, client.listHolds(clientId).stream().filter(h -> h.resourceId().equals(resource))
                .mapToLong(Hold::quantity).sum());
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(reserved, count(db, "select reserved from resource where id = ?", resource), db);
            assertEquals(reserved, count(db, "select coalesce(sum(quantity), 0) from reservation where resource_id = ?",
                    resource), db);
            for (String id : confirmed.keySet()) {
                assertEquals(1, count(db, "select count(*) from reservation where id = ?", id), db);
            }
        }
        DuplexCluster.assertDatabasesIdentical();
    }

    @Test
    void everyBadHoldRequestIsRefusedTypedAndChangesNothing() throws Exception {
        String resource = DuplexCluster.freshResource("strict", 10);
        Hold mine = client.hold(clientId, "mine", resource, 2, 600);

        int max = ReservationService.MAX_HOLD_SECONDS;
        assertThrows(InvalidRequestException.class, () -> client.hold(clientId, "q0", resource, 0, 60));
        assertThrows(InvalidRequestException.class, () -> client.hold(clientId, "q-big", resource,
                ReservationService.MAX_QUANTITY + 1, 60));
        assertThrows(InvalidRequestException.class, () -> client.hold(clientId, "s0", resource, 1, 0));
        assertThrows(InvalidRequestException.class, () -> client.hold(clientId, "s-big", resource, 1, max + 1));
        assertThrows(InvalidRequestException.class, () -> client.hold(null, "no-client", resource, 1, 60));
        assertThrows(InvalidRequestException.class, () -> client.hold(clientId, " ", resource, 1, 60));
        assertThrows(InvalidRequestException.class, () -> client.hold(clientId, "bad-resource", "room 1", 1, 60));
        assertThrows(UnknownResourceException.class, () -> client.hold(clientId, "nowhere", "no-such-room", 1, 60));
        assertThrows(OverbookingException.class, () -> client.hold(clientId, "too-many", resource, 9, 60));
        assertThrows(ForeignClientException.class, () -> client.hold("alice:web", "foreign", resource, 1, 60));
        assertThrows(RequestConflictException.class, () -> client.hold(clientId, "mine", resource, 3, 600),
                "the operation id of another hold");
        assertThrows(UnknownHoldException.class, () -> client.confirm(clientId, "c-unknown", UUID.randomUUID().toString()));
        assertThrows(UnknownHoldException.class, () -> client.release(clientId, "r-unknown", UUID.randomUUID().toString()));
        assertThrows(InvalidRequestException.class, () -> client.confirm(clientId, "c-bad", "not a hold"));
        assertThrows(ForeignClientException.class, () -> client.confirm("alice:web", "c-foreign", mine.id()));
        assertThrows(UnknownHoldException.class, () -> client.confirm(clientId + "-other", "c-other", mine.id()),
                "another client's hold is not found");
        assertThrows(UnknownHoldException.class, () -> client.release(clientId + "-other", "r-other", mine.id()));
        client.reserve(clientId, "a-reservation", resource, 1);
        assertThrows(RequestConflictException.class, () -> client.confirm(clientId, "a-reservation", mine.id()),
                "the operation id of a reservation");

        // the refusals changed nothing: the one hold and the one reservation are all there is
        assertEquals(List.of(mine.id()), client.listHolds(clientId).stream().map(Hold::id).toList());
        assertEquals(2, client.getResource(resource).held());
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(1, count(db, "select count(*) from reservation where resource_id = ?", resource), db);
            assertEquals(1, count(db, "select reserved from resource where id = ?", resource), db);
        }

        // over REST: problem+json, the same types
        String primary = RestCalls.primary();
        RestCalls.call(primary, "POST", "/holds", "{\"clientId\":\"" + clientId + "\",\"operationId\":\"rest-0\","
                + "\"resourceId\":\"" + resource + "\",\"quantity\":0}", "duplex-client").assertProblem(400, "invalid-request");
        RestCalls.call(primary, "POST", "/holds", "{\"clientId\":\"" + clientId + "\",\"operationId\":\"rest-s\","
                + "\"resourceId\":\"" + resource + "\",\"quantity\":1,\"seconds\":\"ten\"}", "duplex-client")
                .assertProblem(400, "invalid-request");
        RestCalls.call(primary, "POST", "/holds/" + UUID.randomUUID() + "/confirm", "{\"clientId\":\"" + clientId
                + "\",\"operationId\":\"rest-c\"}", "duplex-client").assertProblem(404, "unknown-hold");
        RestCalls.call(primary, "POST", "/holds", "{\"clientId\":\"" + clientId + "\",\"operationId\":\"rest-x\","
                + "\"resourceId\":\"" + resource + "\",\"quantity\":9}", "duplex-client").assertProblem(409, "overbooking");
        assertEquals(401, RestCalls.call(primary, "POST", "/holds", "{}", null).status());

        // and over REST the good path: 201, a resend 200 duplicate, the release, its resend
        String body = "{\"clientId\":\"" + clientId + "\",\"operationId\":\"rest-ok\",\"resourceId\":\"" + resource
                + "\",\"quantity\":3,\"seconds\":120}";
        RestCalls.Answer placed = RestCalls.call(primary, "POST", "/holds", body, "duplex-client");
        assertEquals(201, placed.status(), placed.body());
        String id = placed.json().getString("id");
        RestCalls.Answer resent = RestCalls.call(primary, "POST", "/holds", body, "duplex-client");
        assertEquals(200, resent.status(), resent.body());
        assertTrue(resent.json().getBoolean("duplicate"));
        assertEquals(id, resent.json().getString("id"));
        String release = "{\"clientId\":\"" + clientId + "\",\"operationId\":\"rest-release\"}";
        RestCalls.Answer released = RestCalls.call(primary, "POST", "/holds/" + id + "/release", release, "duplex-client");
        assertEquals(200, released.status(), released.body());
        assertEquals("RELEASED", released.json().getString("status"));
        assertTrue(RestCalls.call(primary, "POST", "/holds/" + id + "/release", release, "duplex-client").json()
                .getBoolean("duplicate"));
        assertEquals(2, client.getResource(resource).held());
    }

    @Test
    void aPausedThenResumedPrimaryCannotPlaceAHoldTheNewPrimaryAccepts() throws Exception {
        String resource = DuplexCluster.freshResource("fenced", 10);
        String old = client.primary().node();
        String successor = RestCalls.other(old);
        long epochBefore = client.primary().epoch();

        NodeProcess.pause(old);
        Poll.until(Duration.ofSeconds(20), successor + " promoted", () -> "primary".equals(DuplexCluster.role(successor)));
        NodeProcess.resume(old);

        // straight to the old primary, before or after it learned that it was demoted: refused either way
        assertRefusedByTheOldPrimary(old, "stale", resource, 10);
        Poll.until(Duration.ofSeconds(20), old + " stepped down", () -> "backup".equals(DuplexCluster.role(old)));

        // the new primary holds nothing of it (a PENDING entry the old one could not remove is voided by the
        // new primary's sweeper within a round or two): all 10 units can be held there, by the same operation id
        Poll.until(Duration.ofSeconds(10), "no unit held on " + resource, () -> client.getResource(resource).held() == 0);
        assertEquals(List.of(), client.listHolds(clientId));
        holdsServeOnBothNodes();
        Hold fresh = client.hold(clientId, "stale", resource, 10, 600);
        assertEquals(successor, fresh.node(), "placed by the new primary, not answered with the stale attempt");
        assertTrue(fresh.epoch() > epochBefore);
        assertFalse(fresh.duplicate());
        assertRefusedByTheOldPrimary(old, "stale-again", resource, 1);
        assertEquals(10, client.getResource(resource).held());
        DuplexCluster.assertDatabasesIdentical();
    }

    /**
     * A hold sent straight to the demoted node is refused with a typed error: not-primary, or a retryable one
     * (holds-unavailable while its cache view merges again, replica-unavailable while it relearns the mode).
     */
    private void assertRefusedByTheOldPrimary(String old, String operationId, String resource, int quantity) {
        Exception refused = assertThrows(Exception.class, () -> client.direct(DuplexCluster.nodeUrl(old),
                s -> s.hold(clientId, operationId, resource, quantity, 600)));
        assertTrue(refused instanceof NotPrimaryException
                        || refused instanceof DuplexException typed && typed.retryable(),
                "a typed refusal, not " + refused);
    }
}
