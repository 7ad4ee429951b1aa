package org.duplex.it;

import static org.duplex.it.DuplexCluster.assertDatabasesIdentical;
import static org.duplex.it.DuplexCluster.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.PrimaryBinding;
import org.duplex.reservation.api.ReservationResult;
import org.junit.jupiter.api.Test;

/** Both nodes and both databases stopped and started again: same data, the epoch goes on, one primary. */
class FullRestartIT extends OnBothNodes {

    @Test
    void fullClusterRestartKeepsDataAndEpochAndClientsCarryOn() throws Exception {
        String clientId = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        String resource = "room-" + UUID.randomUUID().toString().substring(0, 8);
        List<ReservationResult> before = new ArrayList<>();
        PrimaryBinding primaryBefore;
        try (DuplexClient client = DuplexCluster.client("duplex-client", 30_000)) {
            DuplexCluster.createResource(resource, "Restart room", 100);
            for (int i = 0; i < 10; i++) {
                before.add(client.reserve(clientId, "op-" + i, resource, 1));
            }
            primaryBefore = client.primary();
        }
        List<String> rowsBefore = rows("db-a", "select id, status from reservation where client_id = ? order by id", clientId);

        // the backup first, then the primary: a planned stop is not a failover
        String backup = primaryBefore.node().equals("node-a") ? "node-b" : "node-a";
        controller.stop(backup);
        controller.stop(primaryBefore.node());
        // and the databases hard, as a power cut would: PostgreSQL recovers from its WAL
        DuplexCluster.launcher("kill", "db-a");
        DuplexCluster.launcher("kill", "db-b");

        DuplexCluster.launcher("start", "db-a");
        DuplexCluster.launcher("start", "db-b");
        startIfNeeded("node-a");
        startIfNeeded("node-b");
        Poll.until(Duration.ofSeconds(30), "one primary", () -> {
            String a = DuplexCluster.role("node-a");
            String b = DuplexCluster.role("node-b");
            return a != null && b != null && ("primary".equals(a) ^ "primary".equals(b));
        });

        for (String db : DuplexCluster.DATABASES) {
            assertEquals(rowsBefore, rows(db, "select id, status from reservation where client_id = ? order by id", clientId), db);
            List<String> state = rows(db, "select epoch, primary_node from cluster_state");
            assertEquals(List.of(primaryBefore.epoch() + "|" + primaryBefore.node()), state,
                    db + ": the epoch and primary carry on from before the restart");
        }
        try (DuplexClient client = DuplexCluster.client("duplex-client", 30_000)) {
            PrimaryBinding after = client.primary();
            assertEquals(primaryBefore, after);
            // an old request resent is still recognised, and new ones go on
            ReservationResult resent = client.reserve(clientId, "op-3", resource, 1);
            assertTrue(resent.duplicate());
            assertEquals(before.get(3).id(), resent.id());
            ReservationResult fresh = client.reserve(clientId, "op-after", resource, 1);
            assertEquals(after.node(), fresh.node());
            assertEquals(after.epoch(), fresh.epoch());
        }
        assertDatabasesIdentical();
    }
}
