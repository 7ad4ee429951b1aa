package org.duplex.it;

import static org.duplex.it.DuplexCluster.assertDatabasesIdentical;
import static org.duplex.it.DuplexCluster.count;
import static org.duplex.it.FailoverIT.assertAcknowledgedExactlyOnceInBothDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import org.duplex.client.DuplexClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replication policy nofail: a database stopped immediately under load, writes going on to the other
 * one with a journal, the journal replayed when it returns while writes go on, and back to XA on both.
 */
class DegradedModeIT extends OnBothNodes {

    private static final Logger LOG = Logger.getLogger(DegradedModeIT.class.getName());

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
        DuplexCluster.launcher("start", "db-a");
        DuplexCluster.launcher("start", "db-b");
    }

    @Test
    void backupDatabaseDownUnderLoadWritesGoOnAndCatchUpEndsInSync() throws Exception {
        String primary = client.primary().node();
        String other = primary.equals("node-a") ? "db-b" : "db-a";
        databaseDownUnderLoad(primary, other);
    }

    @Test
    void primarysOwnDatabaseDownUnderLoadWritesGoOnToThePartner() throws Exception {
        String primary = client.primary().node();
        String own = primary.equals("node-a") ? "db-a" : "db-b";
        databaseDownUnderLoad(primary, own);
        assertEquals(primary, client.primary().node(), "the primary kept serving from its partner's database");
    }

    private void databaseDownUnderLoad(String primary, String down) throws Exception {
        String up = down.equals("db-a") ? "db-b" : "db-a";
        try (ClientLoad load = new ClientLoad(client, resource, 4).start()) {
            load.awaitMoreAcknowledged(100, Duration.ofSeconds(30));

            DuplexCluster.launcher("kill", down);
            Poll.until(Duration.ofSeconds(20), "degraded with " + down + " lagging", () -> {
                String beat = DuplexCluster.heartbeat(primary);
                return beat != null && beat.contains("\"mode\":\"degraded\"") && beat.contains("\"lagging\":\"" + down + "\"");
            });
            load.awaitMoreAcknowledged(300, Duration.ofSeconds(30));
            // inventory writes too: their exactly-once records must reach the lagging database with the catch-up
            String created = DuplexCluster.freshResource("degraded-created", 50);
            try (DuplexClient admin = DuplexCluster.client("duplex-admin", 30_000)) {
                admin.changeCapacity(created, 60, admin.getResource(created).version());
            }
            long journal = count(up, "select count(*) from replication_journal");
            assertTrue(journal > 0, "writes in degraded mode are journaled in " + up);
            if (!down.equals(ownDatabase(primary))) {
                endSessionsUnderLoad(load, primary, up);
            }

            DuplexCluster.launcher("start", down);
            Poll.until(Duration.ofSeconds(60), "back in sync", () -> {
                String beat = DuplexCluster.heartbeat(primary);
                return beat != null && beat.contains("\"mode\":\"sync\"");
            });
            LOG.info("catch-up after " + down + " returned: " + lastCatchUp(primary));
            // writes go on after the switch back to XA on both
            load.awaitMoreAcknowledged(100, Duration.ofSeconds(30));
            load.close();

            assertEquals(List.of(), load.errors(), "a database down must not surface an error under nofail");
            LOG.info(down + " down under load: longest gap between acknowledgements " + load.maxOutageMs() + " ms");
            assertAcknowledgedExactlyOnceInBothDatabases(load);
        }
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(0, count(db, "select count(*) from replication_journal"), db + " journal after the catch-up");
        }
        Poll.until(Duration.ofSeconds(60), "no prepared transaction left", () ->
                count("db-a", "select count(*) from pg_prepared_xacts") == 0
                        && count("db-b", "select count(*) from pg_prepared_xacts") == 0);
        // resource, reservation, cluster_state and inventory_operation, row for row
        assertDatabasesIdentical();
        String verify = DuplexCluster.launcher("verify");
        assertTrue(verify.contains("replication journal empty (sync mode)"), verify);
    }

    /**
     * Issue 10: a database whose sessions are terminated under load in degraded mode. Three times, every
     * session the primary holds in the surviving database and the witness is ended (pg_terminate_backend:
     * open transactions roll back, a COMMIT PREPARED in flight leaves its branch to Narayana's recovery);
     * writes must go on, and every acknowledged one be there afterwards (checked by the caller).
     */
    private static void endSessionsUnderLoad(ClientLoad load, String primary, String up) throws Exception {
        for (int round = 1; round <= 3; round++) {
            long ended = 0;
            for (String store : List.of(up, "db-w")) {
                ended += count(store, "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity"
                        + " where application_name = ? and datname = current_database()", primary);
            }
            LOG.info("round " + round + ": ended " + ended + " session(s) of " + primary + " in " + up + " and db-w");
            load.awaitMoreAcknowledged(50, Duration.ofSeconds(30));
        }
    }

    private static String ownDatabase(String node) {
        return node.equals("node-a") ? "db-a" : "db-b";
    }

    private static String lastCatchUp(String node) {
        String beat = DuplexCluster.heartbeat(node);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"lastCatchUp\":\"([^\"]*)\"").matcher(String.valueOf(beat));
        return m.find() ? m.group(1) : "(not reported: " + beat + ")";
    }
}
