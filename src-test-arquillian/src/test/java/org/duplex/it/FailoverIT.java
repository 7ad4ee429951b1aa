package org.duplex.it;

import static org.duplex.it.DuplexCluster.assertDatabasesIdentical;
import static org.duplex.it.DuplexCluster.count;
import static org.duplex.it.DuplexCluster.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.duplex.client.DuplexClient;
import org.duplex.client.GaveUpException;
import org.duplex.reservation.api.NotPrimaryException;
import org.duplex.reservation.api.PrimaryBinding;
import org.duplex.reservation.api.ReservationResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failover for real: the primary's JVM killed with SIGKILL, or paused with SIGSTOP, under load.
 * Every test counts what the clients were told against what both databases hold.
 */
class FailoverIT extends OnBothNodes {

    private static final Logger LOG = Logger.getLogger(FailoverIT.class.getName());

    private DuplexClient client;
    private String resource;

    @BeforeEach
    void connect() throws Exception {
        client = DuplexCluster.client("duplex-client", 30_000);
        resource = DuplexCluster.freshResource("room", 1_000_000);
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        // a paused node is resumed whatever happened, so that the next test finds it alive
        resumeRunningNodes();
    }

    @Test
    void killOfThePrimaryUnderLoadLosesNothingAndTellsNoCallerAnError() throws Exception {
        PrimaryBinding before = client.primary();
        String primary = before.node();
        String backup = other(primary);

        try (ClientLoad load = new ClientLoad(client, resource, 4).start()) {
            load.awaitMoreAcknowledged(100, Duration.ofSeconds(30));
            killNode(primary);
            load.awaitMoreAcknowledged(200, Duration.ofSeconds(30));
            load.close();

            assertEquals(List.of(), load.errors(), "no caller may see an error before its deadline");
            long outage = load.maxOutageMs();
            LOG.info("kill -9 of " + primary + ": longest client-visible outage " + outage + " ms");
            assertAcknowledgedExactlyOnceInBothDatabases(load);
        }
        assertEquals("primary", DuplexCluster.role(backup));
        PrimaryBinding after = PrimaryBinding.parse(DuplexCluster.boundPrimary(backup));
        assertEquals(backup, after.node());
        assertTrue(after.epoch() > before.epoch(), after + " after " + before);

        // the old primary comes back as backup and binds the real primary
        startIfNeeded(primary);
        Poll.until(Duration.ofSeconds(30), primary + " rejoined as backup", () -> "backup".equals(DuplexCluster.role(primary)));
        assertEquals(after.format(), DuplexCluster.boundPrimary(primary));
        assertDatabasesIdentical();
    }

    @Test
    void hungPrimaryIsReplacedAndCommitsNothingAfterItResumes() throws Exception {
        PrimaryBinding before = client.primary();
        String hung = before.node();
        String backup = other(hung);

        try (ClientLoad load = new ClientLoad(client, resource, 2).start()) {
            load.awaitMoreAcknowledged(50, Duration.ofSeconds(30));
            long paused = System.nanoTime();
            NodeProcess.pause(hung);
            Poll.until(Duration.ofSeconds(20), backup + " promoted", () -> "primary".equals(DuplexCluster.role(backup)));
            LOG.info(hung + " paused: " + backup + " promoted after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - paused) + " ms");
            load.awaitMoreAcknowledged(100, Duration.ofSeconds(30));
            NodeProcess.resume(hung);
            Poll.until(Duration.ofSeconds(20), hung + " stepped down", () -> "backup".equals(DuplexCluster.role(hung)));
            load.awaitMoreAcknowledged(50, Duration.ofSeconds(30));
            load.close();

            assertEquals(List.of(), load.errors());
            assertAcknowledgedExactlyOnceInBothDatabases(load);
        }
        PrimaryBinding after = PrimaryBinding.parse(DuplexCluster.boundPrimary(backup));
        assertEquals(backup, after.node());
        assertEquals(after.format(), DuplexCluster.boundPrimary(hung), "the resumed node binds the real primary");
        // exactly one primary, in both databases and in both detectors
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(List.of(after.epoch() + "|" + backup), rows(db, "select epoch, primary_node from cluster_state"));
        }
        assertEquals("backup", DuplexCluster.role(hung));
        assertEquals("primary", DuplexCluster.role(backup));
        // the resumed node refuses a write sent straight to it, and wrote nothing under the new epoch
        NotPrimaryException refused = assertThrows(NotPrimaryException.class, () -> client.direct(
                DuplexCluster.nodeUrl(hung), s -> s.reserve("direct-" + UUID.randomUUID(), "op", resource, 1)));
        assertTrue(refused.getMessage().contains(hung + " is not the primary"), refused.getMessage());
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(0, count(db, "select count(*) from reservation where node = ? and epoch >= ?", hung,
                    after.epoch()), db);
        }
        assertDatabasesIdentical();
    }

    @Test
    void theSameOperationSentTwiceConcurrentlyDuringFailoverYieldsOneReservation() throws Exception {
        String primary = client.primary().node();
        String clientId = "twice-" + UUID.randomUUID().toString().substring(0, 8);
        int operations = 20;
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try (DuplexClient second = DuplexCluster.client("duplex-client", 30_000)) {
            List<Callable<ReservationResult>> sends = new ArrayList<>();
            for (int i = 0; i < operations; i++) {
                String op = "same-" + i;
                sends.add(() -> client.reserve(clientId, op, resource, 1));
                sends.add(() -> second.reserve(clientId, op, resource, 1));
            }
            List<Future<ReservationResult>> answers = new ArrayList<>();
            for (int i = 0; i < sends.size(); i++) {
                answers.add(senders.submit(sends.get(i)));
                if (i == sends.size() / 4) {
                    killNode(primary);
                }
            }
            for (int i = 0; i < operations; i++) {
                ReservationResult a = answers.get(2 * i).get(60, TimeUnit.SECONDS);
                ReservationResult b = answers.get(2 * i + 1).get(60, TimeUnit.SECONDS);
                assertEquals(a.id(), b.id(), "both senders of same-" + i + " must get the same reservation");
            }
        } finally {
            senders.shutdownNow();
        }
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(operations, count(db, "select count(*) from reservation where client_id = ?", clientId), db);
            assertEquals(operations, count(db, "select count(distinct operation_id) from reservation where client_id = ?",
                    clientId), db);
        }
        startIfNeeded(primary);
        assertDatabasesIdentical();
    }

    @Test
    void noPromotionWithoutBothDatabasesSoNeverTwoPrimaries() throws Exception {
        PrimaryBinding before = client.primary();
        String primary = before.node();
        String backup = other(primary);
        String primaryDb = primary.equals("node-a") ? "db-a" : "db-b";
        String backupDb = primaryDb.equals("db-a") ? "db-b" : "db-a";
        // under nofail the primary would first make the cluster degraded on the backup's database, which is
        // then the up-to-date one and may elect alone; strict keeps both databases required for everything
        for (String node : NODES) {
            NodeManagement.replicationPolicy(node, "strict");
        }
        try {
            // the backup now reaches only its own database, and the primary is gone
            DuplexCluster.launcher("kill", primaryDb);
            killNode(primary);
            Poll.until(Duration.ofSeconds(20), backup + " tried to promote itself", () -> {
                String beat = DuplexCluster.heartbeat(backup);
                return beat != null && beat.contains("\"lastPromotionFailure\"");
            });
            assertEquals("backup", DuplexCluster.role(backup), "promoted with one database");
            assertEquals(List.of(before.epoch() + "|" + primary), rows(backupDb, "select epoch, primary_node from cluster_state"));
            try (DuplexClient quick = DuplexCluster.client("duplex-client", 2_000)) {
                assertThrows(GaveUpException.class, () -> quick.reserve("nowhere-" + UUID.randomUUID(), "op", resource, 1));
            }
        } finally {
            DuplexCluster.launcher("start", primaryDb);
            NodeManagement.replicationPolicy(backup, "nofail");
        }
        Poll.until(Duration.ofSeconds(30), backup + " promoted once both databases answer",
                () -> "primary".equals(DuplexCluster.role(backup)));
        startIfNeeded(primary);
        NodeManagement.replicationPolicy(primary, "nofail");
        assertDatabasesIdentical();
    }

    private static String other(String node) {
        return node.equals("node-a") ? "node-b" : "node-a";
    }

    /** Every acknowledged reservation is in both databases exactly once, and nothing else for these clients. */
    static void assertAcknowledgedExactlyOnceInBothDatabases(ClientLoad load) throws Exception {
        Set<String> acknowledged = load.acknowledgedIds();
        assertEquals(load.acknowledgedCount(), acknowledged.size(), "two operations acknowledged with one id");
        String in = String.join(",", load.clientIds().stream().map(c -> "'" + c + "'").toList());
        for (String db : DuplexCluster.DATABASES) {
            List<String> ids = rows(db, "select id from reservation where client_id in (" + in + ")");
            assertEquals(ids.size(), new HashSet<>(ids).size(), db + " holds a reservation twice");
            assertEquals(acknowledged, new HashSet<>(ids), db + " differs from what clients were told");
        }
    }
}
