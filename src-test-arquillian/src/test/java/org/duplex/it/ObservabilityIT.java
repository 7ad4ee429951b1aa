package org.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.ReservationResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Health and metrics as an operator reads them with curl on the management port: MicroProfile Health
 * readiness that follows the node's role and its databases (a database stopped for real), and the
 * Prometheus text of Micrometer at {@code /metrics} counting what the service and the detector did,
 * and a node booted while its own database is down.
 */
class ObservabilityIT extends OnBothNodes {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private String stopped;

    @AfterEach
    void databasesBackInSync() throws Exception {
        if (stopped != null) {
            DuplexCluster.launcher("start", stopped);
        }
        Poll.until(Duration.ofSeconds(90), "both nodes ready again, in sync", () -> ready("node-a").status() == 200
                && ready("node-b").status() == 200
                && !String.valueOf(DuplexCluster.heartbeat("node-a")).contains("\"mode\":\"degraded\""));
    }

    @Test
    void readinessFollowsTheRoleAndTheDatabasesItNeeds() throws Exception {
        Poll.until(Duration.ofSeconds(30), "one primary and one backup",
                () -> "primary".equals(DuplexCluster.role("node-a")) != "primary".equals(DuplexCluster.role("node-b")));
        String primary = "primary".equals(DuplexCluster.role("node-a")) ? "node-a" : "node-b";
        String backup = primary.equals("node-a") ? "node-b" : "node-a";
        String backupsOwn = backup.equals("node-a") ? "db-a" : "db-b";
        Poll.until(Duration.ofSeconds(30), "the duplex readiness check on both nodes, with their roles",
                () -> ready(primary).body().contains("\"role\":\"primary\"") && ready(backup).body().contains("\"role\":\"backup\""));
        Answer before = ready(primary);
        assertEquals(200, before.status(), before.body());
        assertTrue(before.body().contains("\"db-a\":\"up\"") && before.body().contains("\"db-b\":\"up\""), before.body());
        assertEquals(200, ready(backup).status());
        double degradedBefore = DuplexCluster.metric(primary, "duplex_cluster_events_total", "kind=\"degraded\"");

        // the backup's own database stopped: the backup is no longer ready; the primary (nofail) goes on with the other
        stopped = backupsOwn;
        DuplexCluster.launcher("kill", backupsOwn);
        Poll.until(Duration.ofSeconds(20), backup + " not ready with " + backupsOwn + " down", () -> {
            Answer b = ready(backup);
            return b.status() == 503 && b.body().contains("\"" + backupsOwn + "\":\"down\"")
                    && b.body().contains("\"status\":\"DOWN\"");
        });
        Answer after = ready(primary);
        assertEquals(200, after.status(), after.body());
        assertTrue(after.body().contains("\"" + backupsOwn + "\":\"down\""), after.body());
        Poll.until(Duration.ofSeconds(20), "the primary's degraded event counted",
                () -> DuplexCluster.metric(primary, "duplex_cluster_events_total", "kind=\"degraded\"") == degradedBefore + 1
                        && DuplexCluster.metric(primary, "duplex_degraded", "") == 1);
    }

    @Test
    void aNodeStartedWhileItsDatabaseIsDownDeploysSaysWhyItIsNotReadyAndJoinsWhenItReturns() throws Exception {
        DuplexCluster.primaryIs("node-a");
        String resource = DuplexCluster.freshResource("boot", 100);
        killNode("node-b");
        stopped = "db-b";
        DuplexCluster.launcher("kill", "db-b");
        DuplexCluster.awaitMode("degraded", Duration.ofSeconds(30));
        String clientId = "boot-" + UUID.randomUUID().toString().substring(0, 8);
        String whileDown;
        try (DuplexClient client = DuplexCluster.client("duplex-client", 10_000)) {
            whileDown = client.reserve(clientId, "op-1", resource, 1).id();
        }

        // node-b boots with its own database down: the ear deploys all the same (no schema read at boot),
        // the node serves its heartbeat, and readiness says no, and why
        startIfNeeded("node-b");
        Poll.until(Duration.ofSeconds(30), "node-b a backup, not ready, naming its database", () -> {
            Answer b = ready("node-b");
            return b.status() == 503 && b.body().contains("\"role\":\"backup\"")
                    && b.body().contains("backup: its own database db-b does not answer");
        });

        // db-b back: the primary replays what db-b missed, and node-b becomes ready by itself
        DuplexCluster.launcher("start", "db-b");
        stopped = null;
        DuplexCluster.awaitSync(Duration.ofSeconds(60));
        Poll.until(Duration.ofSeconds(30), "node-b ready", () -> ready("node-b").status() == 200);
        assertEquals(1, DuplexCluster.count("db-b", "select count(*) from reservation where id = ?", whileDown),
                "the reservation acknowledged while db-b was down is in db-b after the catch-up");
        DuplexCluster.assertDatabasesIdentical();
    }

    @Test
    void metricsCountWritesDuplicatesAndTheClusterState() throws Exception {
        String resource = DuplexCluster.freshResource("metrics", 100);
        try (DuplexClient client = DuplexCluster.client("duplex-client", 5_000)) {
            String primary = client.primary().node();
            String backup = primary.equals("node-a") ? "node-b" : "node-a";
            Poll.until(Duration.ofSeconds(10), "the role gauges", () -> DuplexCluster.metric(primary, "duplex_primary", "") == 1
                    && DuplexCluster.metric(backup, "duplex_primary", "") == 0);
            double committed = DuplexCluster.metric(primary, "duplex_write_transactions_total", "outcome=\"committed\",replication=\"xa\"");
            double duplicates = DuplexCluster.metric(primary, "duplex_duplicates_total", "");

            String clientId = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
            ReservationResult first = client.reserve(clientId, "op-1", resource, 1);
            ReservationResult again = client.reserve(clientId, "op-1", resource, 1);
            assertTrue(again.duplicate() && again.id().equals(first.id()), "the resend is answered as a duplicate");

            // the client library may itself have resent the first request (a call slower than its 1 s invocation
            // timeout): that resend is a duplicate too, and the first answer says so
            assertEquals(duplicates + 1 + (first.duplicate() ? 1 : 0),
                    DuplexCluster.metric(primary, "duplex_duplicates_total", ""), "one duplicate counted per resend");
            assertTrue(DuplexCluster.metric(primary, "duplex_write_transactions_total", "outcome=\"committed\",replication=\"xa\"")
                    >= committed + 1, "the reservation counted as a committed XA write");
            assertTrue(DuplexCluster.metric(backup, "duplex_heartbeat_last_round_trip_ms", "") >= 0, "the backup's heartbeat round trip");
            assertEquals(0, DuplexCluster.metric(primary, "duplex_journal_depth", ""), "nothing journaled in sync mode");
            assertTrue(DuplexCluster.metric(primary, "transactions_number_of_committed_transactions_total", "") > 0,
                    "Narayana's own counts are exported too");
        }
    }

    record Answer(int status, String body) {
    }

    private static Answer ready(String node) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(DuplexCluster.managementBase(node) + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

}
