package org.duplex.it;

import static org.duplex.it.DuplexCluster.assertDatabasesIdentical;
import static org.duplex.it.DuplexCluster.count;
import static org.duplex.it.DuplexCluster.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.duplex.client.DuplexClient;
import org.duplex.client.GaveUpException;
import org.duplex.reservation.api.ReplicaUnavailableException;
import org.duplex.reservation.api.RequestConflictException;
import org.duplex.reservation.api.ReservationResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A write whose second database fails leaves neither database changed: the failure is injected for
 * real, by a row planted only in the database that is not the primary's own (a constraint violation
 * there alone) and by stopping db-b
 * immediately (pg_ctl -m immediate, through the launcher).
 */
class DatabaseFailureIT extends OnBothNodes {


    private DuplexClient client;
    private String resource;
    private final String clientId = "it-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void connect() throws Exception {
        client = DuplexCluster.client("duplex-client", 3_000);
        resource = DuplexCluster.freshResource("room", 100);
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        // whatever a test stopped is started again for the next one
        DuplexCluster.launcher("start", "db-b");
    }

    @Test
    void constraintViolationInTheOtherDatabaseRollsBackTheOwnOne() throws Exception {
        // the primary checks for a repeated operation in its own database; the row goes in the other one only
        String primary = client.primary().node();
        String own = primary.equals("node-a") ? "db-a" : "db-b";
        String other = own.equals("db-a") ? "db-b" : "db-a";
        DuplexCluster.update(other, "insert into reservation (id, client_id, operation_id, resource_id, quantity,"
                        + " status, created_at, epoch, node) values (?, ?, ?, ?, 1, 'ACTIVE', ?, 1, 'planted')",
                "planted-" + clientId, clientId, "op-planted", resource, Timestamp.from(Instant.now()));
        try {
            Map<String, List<String>> ownBefore = snapshot(own);
            Map<String, List<String>> otherBefore = snapshot(other);

            // the write proceeds, succeeds in the primary's own database and fails in the other
            RequestConflictException e = assertThrows(RequestConflictException.class,
                    () -> client.reserve(clientId, "op-planted", resource, 1));
            assertTrue(e.getMessage().contains(other), e.getMessage());

            assertEquals(ownBefore, snapshot(own), own + " kept a write whose " + other + " half failed");
            assertEquals(otherBefore, snapshot(other), other + " changed");
            assertEquals(0, count(own, "select reserved from resource where id = ?", resource));
        } finally {
            DuplexCluster.update(other, "delete from reservation where id = ?", "planted-" + clientId);
        }
        assertDatabasesIdentical();
    }

    @Test
    void underPolicyStrictASecondDatabaseDownRefusesWritesAndChangesNothing() throws Exception {
        for (String node : NODES) {
            NodeManagement.replicationPolicy(node, "strict");
        }
        try {
            secondDatabaseDownRefusesWritesAndChangesNothing();
        } finally {
            for (String node : NODES) {
                NodeManagement.replicationPolicy(node, "nofail");
            }
        }
    }

    private void secondDatabaseDownRefusesWritesAndChangesNothing() throws Exception {
        client.reserve(clientId, "op-before", resource, 1);
        Map<String, List<String>> a = snapshot("db-a");

        DuplexCluster.launcher("kill", "db-b");

        GaveUpException gaveUp = assertThrows(GaveUpException.class,
                () -> client.reserve(clientId, "op-during", resource, 1));
        ReplicaUnavailableException refusal = assertInstanceOf(ReplicaUnavailableException.class, gaveUp.getCause());
        assertTrue(refusal.getMessage().contains("db-b"), refusal.getMessage());
        assertEquals(a, snapshot("db-a"), "db-a changed while db-b was down");

        DuplexCluster.launcher("start", "db-b");
        // the same operation, resent once db-b is back, is applied once
        Poll.until(Duration.ofSeconds(60), "writing again after db-b restarted", () -> {
            try {
                ReservationResult r = client.reserve(clientId, "op-during", resource, 1);
                return r.operationId().equals("op-during");
            } catch (GaveUpException stillDown) {
                return false;
            }
        });
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(2, count(db, "select count(*) from reservation where client_id = ?", clientId), db);
            assertEquals(2, count(db, "select reserved from resource where id = ?", resource), db);
        }
        Poll.until(Duration.ofSeconds(60), "without prepared transactions", () ->
                count("db-a", "select count(*) from pg_prepared_xacts") == 0
                        && count("db-b", "select count(*) from pg_prepared_xacts") == 0);
        assertDatabasesIdentical();
    }
}
