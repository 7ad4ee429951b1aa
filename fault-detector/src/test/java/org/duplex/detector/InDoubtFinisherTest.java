package org.duplex.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link InDoubtFinisher} finishes before a takeover, over a fake of the stores' prepared branches. */
class InDoubtFinisherTest {

    private static String gid(String uid, String node, String branch) {
        String gtrid = Base64.getEncoder().encodeToString((uid + node).getBytes(StandardCharsets.ISO_8859_1));
        return "131077_" + gtrid + "_" + Base64.getEncoder().encodeToString(branch.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The stores as the takeover reads them: prepared gids per store, those that are changes of state, nothing committed. */
    private record Stores(Map<String, List<String>> prepared, List<String> changes, List<String> finished)
            implements InDoubtBranches {
        @Override
        public int endSessionsOf(String database, String node) {
            return 0;
        }

        @Override
        public List<String> preparedGids(String database) {
            return prepared.getOrDefault(database, List.of());
        }

        @Override
        public List<String> preparedChangeGids(String database) {
            return preparedGids(database).stream().filter(changes::contains).toList();
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

    @Test
    void aTakeoverNamingTheUnreadSiblingLaggingCommitsALoneWriteBranch() {
        String write = gid("0:ffff7f000001:1", "node-a", "1");
        Stores stores = new Stores(Map.of("db-a", List.of(write), "db-w", List.of()), List.of(), new ArrayList<>());
        new InDoubtFinisher(stores).finish(new Decision.FinishInDoubt("node-a", List.of("db-a", "db-w"), "db-b"));
        assertEquals(List.of("commit db-a " + write), stores.finished());
    }

    /**
     * Found by DetectorSimulationTest, seed 1140: a degrade (db-a + db-w) whose coordinator died after preparing
     * db-a only; committing that branch wrote the next epoch into one store of three, so two majorities disagreed
     * on the current state. A change of state whose participant cannot be read waits (DESIGN.md).
     */
    @Test
    void aLoneBranchOfAChangeOfStateWaitsEvenForATakeoverNamingItsSiblingLagging() {
        String change = gid("0:ffff7f000001:2", "node-a", "1");
        Stores stores = new Stores(Map.of("db-a", List.of(change), "db-w", List.of()), List.of(change), new ArrayList<>());
        new InDoubtFinisher(stores).finish(new Decision.FinishInDoubt("node-a", List.of("db-a", "db-w"), "db-b"));
        assertEquals(List.of(), stores.finished());
    }

    @Test
    void aChangeOfStatePreparedInEveryStoreReadIsCommitted() {
        String a = gid("0:ffff7f000001:3", "node-a", "1");
        String w = gid("0:ffff7f000001:3", "node-a", "2");
        Stores stores = new Stores(Map.of("db-a", List.of(a), "db-w", List.of(w)), List.of(a, w), new ArrayList<>());
        new InDoubtFinisher(stores).finish(new Decision.FinishInDoubt("node-a", List.of("db-a", "db-w"), "db-b"));
        assertEquals(List.of("commit db-a " + a, "commit db-w " + w), stores.finished());
    }
}
