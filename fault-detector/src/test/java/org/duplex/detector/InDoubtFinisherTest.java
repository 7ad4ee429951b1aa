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
}
