package org.duplex.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duplex.detector.InDoubtResolution.Action;
import org.junit.jupiter.api.Test;

class InDoubtResolutionTest {

    private static String gtrid(String uid, String node) {
        return Base64.getEncoder().encodeToString((uid + node).getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String gid(String gtrid, String branch) {
        return "131077_" + gtrid + "_" + Base64.getEncoder().encodeToString(branch.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void preparedInEveryParticipantIsCommittedNeverPresumedAborted() throws Exception {
        String g = gtrid("0:ffff7f000001:1", "node-a");
        List<Action> plan = InDoubtResolution.plan(Map.of("db-a", List.of(gid(g, "1")), "db-w", List.of(gid(g, "2")),
                        "db-b", List.of()), "node-a", 3, null, (db, id) -> { throw new AssertionError("no lookup needed"); });
        assertEquals(2, plan.size());
        assertTrue(plan.stream().allMatch(Action::commit));
    }

    @Test
    void aLoneBranchIsCommittedByATakeoverNamingItsUnreadSiblingLagging() throws Exception {
        String g = gtrid("0:ffff7f000001:6", "node-a");
        List<Action> plan = InDoubtResolution.plan(Map.of("db-b", List.of(gid(g, "1")), "db-w", List.of()),
                "node-a", 3, "db-a", (db, id) -> false);
        assertEquals(1, plan.size());
        assertTrue(plan.get(0).commit(), plan.toString());
    }

    @Test
    void aLoneBranchIsLeftAloneWhileAStoreCannotBeRead() throws Exception {
        String g = gtrid("0:ffff7f000001:5", "node-a");
        List<Action> plan = InDoubtResolution.plan(Map.of("db-a", List.of(gid(g, "1")), "db-w", List.of()),
                "node-a", 3, null, (db, id) -> false);
        assertTrue(plan.isEmpty(), "db-b was not read: its branch may have prepared, so no rollback");
    }

    @Test
    void preparedInOneFollowsTheOther() throws Exception {
        String committedInB = gtrid("0:ffff7f000001:2", "node-a");
        String neverInB = gtrid("0:ffff7f000001:3", "node-a");
        Set<String> markersInB = Set.of(committedInB);
        List<Action> plan = InDoubtResolution.plan(
                Map.of("db-a", List.of(gid(committedInB, "1"), gid(neverInB, "1")), "db-b", List.of(), "db-w", List.of()),
                "node-a", 3, null, (db, id) -> db.equals("db-b") && markersInB.contains(id));
        assertEquals(List.of(new Action("db-a", gid(committedInB, "1"), true, "committed in another store"),
                new Action("db-a", gid(neverInB, "1"), false, "prepared in no other store and committed in none")), plan);
    }

    @Test
    void branchesOfOtherNodesAndForeignGidsAreLeftAlone() throws Exception {
        String mine = gtrid("0:ffff7f000001:4", "node-b");
        List<Action> plan = InDoubtResolution.plan(
                Map.of("db-a", List.of(gid(mine, "1"), "made-by-hand"), "db-b", List.of(gid(mine, "2"))),
                "node-a", 2, null, (db, id) -> false);
        assertTrue(plan.isEmpty());
        assertNull(InDoubtResolution.gtrid("made-by-hand"));
    }
}
