package org.duplex.it;

import static org.duplex.it.DuplexCluster.assertDatabasesIdentical;
import static org.duplex.it.DuplexCluster.count;
import static org.duplex.it.DuplexCluster.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.ReservationResult;
import org.jboss.byteman.agent.submit.Submit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node halted by a Byteman rule in the middle of XA two-phase commit, of a client's write or of a
 * change of state, leaving prepared transactions in PostgreSQL. The other node takes over and finishes
 * them by the coordinator's own answer; the client's resend gets the right answer; no prepared
 * transaction is left and the stores agree, also after the halted node restarts and runs its own recovery.
 */
class CrashRecoveryIT extends OnBothNodes {

    private static final Logger LOG = Logger.getLogger(CrashRecoveryIT.class.getName());

    private DuplexClient client;
    private String resource;
    private final String clientId = "crash-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void connect() throws Exception {
        client = DuplexCluster.client("duplex-client", 30_000);
        resource = DuplexCluster.freshResource("room", 100);
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void haltBeforeAnyCommitIsCommittedNeverPresumedAbortedAndTheResendIsADuplicate() throws Exception {
        // every branch prepared and the decision logged, none committed: the coordinator's answer is commit,
        // so whoever finishes them commits (never presumed abort) and the resend finds the original
        crashDuringCommit("halt-before-first-commit.btm", true);
    }

    @Test
    void haltBetweenTheTwoCommitsIsCommittedInBothAndTheResendIsADuplicate() throws Exception {
        // one branch committed: the other must commit too, and the resend finds the original
        crashDuringCommit("halt-before-second-commit.btm", true);
    }

    @Test
    void anotherApplicationsPreparedBranchOfTheDeadNodeIsLeftToItsOwner() throws Exception {
        // a prepared branch in the dead primary's name, as Narayana names them (format 131077, a 28-byte
        // transaction Uid, then the node identifier), but not Duplex's: it never took the epoch lock. Duplex
        // cannot know how its partner ended, so it must not decide it
        String primary = client.primary().node();
        String backup = primary.equals("node-a") ? "node-b" : "node-a";
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        String uid = String.format("%-28.28s", "foreign-app-" + clientId);
        String gid = "131077_" + b64.encodeToString((uid + primary).getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                + "_" + b64.encodeToString("branch".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        try (java.sql.Connection c = DuplexCluster.jdbc("db-b"); java.sql.Statement s = c.createStatement()) {
            s.execute("create table if not exists foreign_app_row (id varchar(64) primary key)");
            s.execute("begin");
            s.execute("insert into foreign_app_row values ('" + clientId + "')");
            s.execute("prepare transaction '" + gid + "'");
        }
        try {
            killNode(primary);
            Poll.until(Duration.ofSeconds(20), backup + " promoted", () -> "primary".equals(DuplexCluster.role(backup)));
            // the promotion finished every in-doubt branch of Duplex's before it moved the epoch; this one stays
            assertEquals(List.of(gid), rows("db-b", "select gid from pg_prepared_xacts where gid = ?", gid),
                    "a branch Duplex does not own must be left prepared");
            ReservationResult after = client.reserve(clientId, "op-after", resource, 1);
            assertEquals(backup, after.node(), "the new primary serves");
        } finally {
            if (!rows("db-b", "select gid from pg_prepared_xacts where gid = ?", gid).isEmpty()) {
                try (java.sql.Connection c = DuplexCluster.jdbc("db-b"); java.sql.Statement s = c.createStatement()) {
                    s.execute("rollback prepared '" + gid + "'");
                }
            }
            startIfNeeded(primary);
        }
    }

    /**
     * The node taking over by a switchover halts between two commits of that change of state: one store
     * holds the new epoch, the others hold it prepared with the epoch lock exclusive. The other node finds
     * the change half finished, finishes it by the coordinator's own answer (commit: every participant
     * had prepared), and takes over; the stores never disagree for good and writes resume.
     */
    @Test
    void haltInsideAChangeOfStateIsFinishedAndWritesResume() throws Exception {
        DuplexCluster.primaryIs("node-a");
        client.reserve(clientId, "op-before", resource, 1);
        submitRule("node-b", "halt-inside-a-state-change.btm");
        // the switchover request dies with node-b; what it leaves behind is what this test is about
        DuplexCluster.runLauncher("switchover", "node-b");
        Poll.until(Duration.ofSeconds(30), "node-b halted inside the change", () -> !NodeProcess.running("node-b"));
        forget("node-b");

        Poll.until(Duration.ofSeconds(30), "node-a primary again", () -> "primary".equals(DuplexCluster.role("node-a")));
        ReservationResult after = client.reserve(clientId, "op-after", resource, 1);
        assertEquals("node-a", after.node());
        Poll.until(Duration.ofSeconds(30), "no prepared transaction left in any store", () -> {
            for (String store : DuplexCluster.STORES) {
                if (count(store, "select count(*) from pg_prepared_xacts") > 0) {
                    return false;
                }
            }
            return true;
        });
        String state = "select epoch, primary_node, mode, lagging from cluster_state";
        assertEquals(rows("db-a", state), rows("db-b", state), "db-a and db-b hold different states");
        assertEquals(rows("db-a", state), rows("db-w", state), "db-a and the witness hold different states");

        startIfNeeded("node-b");
        Poll.until(Duration.ofSeconds(60), "node-b back as backup", () -> "backup".equals(DuplexCluster.role("node-b")));
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(2, count(db, "select reserved from resource where id = ?", resource), db);
        }
        assertDatabasesIdentical();
    }

    private void crashDuringCommit(String rule, boolean originalSurvives) throws Exception {
        String primary = client.primary().node();
        String backup = primary.equals("node-a") ? "node-b" : "node-a";
        submitRule(primary, rule);

        ReservationResult answer = client.reserve(clientId, "op-crash", resource, 2);

        Poll.until(Duration.ofSeconds(20), primary + " halted", () -> !NodeProcess.running(primary));
        forget(primary);
        LOG.info(rule + ": the client got " + answer);
        assertEquals(originalSurvives, answer.duplicate(),
                originalSurvives ? "the original committed, the resend must find it" : "nothing committed, the resend applies it");
        // a duplicate carries the original, written by the halted node; a fresh write comes from the one that took over
        assertEquals(originalSurvives ? primary : backup, answer.node());
        assertOnceInBothDatabases(answer);
        assertDatabasesIdentical();

        // the halted node restarts and runs its own recovery over its transaction log: nothing changes
        startIfNeeded(primary);
        Poll.until(Duration.ofSeconds(30), primary + " back as backup", () -> "backup".equals(DuplexCluster.role(primary)));
        assertOnceInBothDatabases(answer);
        assertDatabasesIdentical();
    }

    private void assertOnceInBothDatabases(ReservationResult answer) throws Exception {
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(List.of(answer.id() + "|2|ACTIVE"), rows(db,
                    "select id, quantity, status from reservation where client_id = ? and operation_id = 'op-crash'",
                    clientId), db);
            assertEquals(2, count(db, "select reserved from resource where id = ?", resource), db);
        }
    }

    private static void submitRule(String node, String rule) throws Exception {
        Submit submit = new Submit("127.0.0.1", Integer.getInteger("duplex." + node + ".byteman.port"));
        Path script = Path.of(System.getProperty("duplex.byteman.rules"), rule);
        String loaded = submit.addRulesFromFiles(List.of(script.toString()));
        LOG.info("loaded into " + node + ": " + loaded.trim());
        assertFalse(loaded.contains("ERROR"), loaded);
    }
}
