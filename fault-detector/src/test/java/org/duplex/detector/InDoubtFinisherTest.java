package org.duplex.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.duplex.detector.InDoubtResolutionTest.Tx;
import org.junit.jupiter.api.Test;

/** What {@link InDoubtFinisher} finishes before a takeover, over a fake of the stores' prepared branches (Narayana's gids). */
class InDoubtFinisherTest {

    /** The stores as the takeover reads them: prepared gids per store, nothing committed. */
    private record Stores(Map<String, List<String>> prepared, List<String> finished) implements InDoubtBranches {
        @Override
        public int endSessionsOf(String database, String node) {
            return 0;
        }

        @Override
        public List<String> preparedGids(String database) {
            return prepared.getOrDefault(database, List.of());
        }

        @Override
        public boolean committed(String database, String gtrid) {
            return false;
        }

        @Override
        public void finishPrepared(String database, String gid, boolean commit) {
            finished.add((commit ? "commit " : "rollback ") + database + " " + gid);
        }
    }

    /**
     * Found by the nemesis's {@code crossed} split: a lone branch whose sibling's database is not read is
     * left prepared, even when the takeover would name that database lagging (the takeover may lose the
     * epoch to the other side, which names the other database lagging instead).
     */
    @Test
    void aLoneBranchWaitsWhileItsSiblingsDatabaseIsNotRead() {
        String write = Tx.of("node-a").branch();
        Stores stores = new Stores(Map.of("db-a", List.of(write), "db-w", List.of()), new ArrayList<>());
        new InDoubtFinisher(stores).finish(new Decision.FinishInDoubt("node-a", List.of("db-a", "db-w")));
        assertEquals(List.of(), stores.finished());
    }

    @Test
    void aLoneBranchWithEveryStoreReadIsRolledBack() {
        String write = Tx.of("node-a").branch();
        Stores stores = new Stores(Map.of("db-a", List.of(write), "db-b", List.of(), "db-w", List.of()), new ArrayList<>());
        new InDoubtFinisher(stores).finish(new Decision.FinishInDoubt("node-a", List.of("db-a", "db-b", "db-w")));
        assertEquals(List.of("rollback db-a " + write), stores.finished());
    }

    @Test
    void aTransactionPreparedInEveryStoreReadIsCommitted() {
        Tx change = Tx.of("node-a");
        String a = change.branch();
        String w = change.branch();
        Stores stores = new Stores(Map.of("db-a", List.of(a), "db-w", List.of(w)), new ArrayList<>());
        new InDoubtFinisher(stores).finish(new Decision.FinishInDoubt("node-a", List.of("db-a", "db-w")));
        assertEquals(List.of("commit db-a " + a, "commit db-w " + w), stores.finished());
    }

    /** An ended session left this node's aborted branches prepared: only those, and only this node's, are rolled back. */
    @Test
    void ownBranchesTheTransactionManagerAbortedAreRolledBackNoOneElses() {
        String aborted = Tx.of("node-a").branch();
        String running = Tx.of("node-a").branch();
        String peers = Tx.of("node-b").branch();
        Stores stores = new Stores(Map.of("db-a", List.of(aborted, running, peers), "db-w", List.of(aborted)),
                new ArrayList<>());
        int done = new OwnAbortedBranches(stores, gid -> !gid.equals(running)).rollBack("node-a", List.of("db-a", "db-w"));
        assertEquals(2, done);
        assertEquals(List.of("rollback db-a " + aborted, "rollback db-w " + aborted), stores.finished());
    }

    /** A transaction still running in this JVM is never taken for aborted, nor is a gid Narayana did not make. */
    @Test
    void aRunningTransactionOrAForeignGidIsNotEndedWithoutCommit() throws Exception {
        com.arjuna.ats.arjuna.AtomicAction tx = new com.arjuna.ats.arjuna.AtomicAction();
        tx.begin();
        try {
            String gid = new Tx(tx.get_uid(), "node-a").branch();
            org.junit.jupiter.api.Assertions.assertFalse(OwnAbortedBranches.endedWithoutCommitHere(gid));
        } finally {
            tx.abort();
        }
        org.junit.jupiter.api.Assertions.assertFalse(OwnAbortedBranches.endedWithoutCommitHere("not-a-gid"));
        org.junit.jupiter.api.Assertions.assertFalse(OwnAbortedBranches.endedWithoutCommitHere("1_YWJj_ZGVm"));
    }
}
