package org.duplex.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arjuna.ats.arjuna.common.Uid;
import com.arjuna.ats.arjuna.coordinator.TxControl;
import com.arjuna.ats.jta.xa.XidImple;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.transaction.xa.Xid;
import org.duplex.detector.InDoubtResolution.Action;
import org.junit.jupiter.api.Test;

/** The plan, over branches whose Xids Narayana itself made, named by a node identifier as WildFly sets it. */
class InDoubtResolutionTest {

    /** One global transaction coordinated by {@code node}: Narayana's transaction Uid and its node identifier. */
    record Tx(Uid uid, String node) {
        static Tx of(String node) {
            return new Tx(new Uid(), node);
        }

        /** A branch of it (a fresh branch Uid), as PostgreSQL names the prepared transaction. */
        String branch() {
            String before = TxControl.getXANodeName();
            TxControl.setXANodeName(node);
            try {
                return gid(new XidImple(uid, true, null));
            } finally {
                TxControl.setXANodeName(before);
            }
        }

        /** Its global id as the markers hold it. */
        String gtrid() {
            return InDoubtResolution.gtrid(branch());
        }
    }

    /** The gid PostgreSQL's JDBC driver gives a prepared branch: {@code formatId_base64(gtrid)_base64(bqual)}. */
    private static String gid(Xid xid) {
        Base64.Encoder b64 = Base64.getEncoder();
        return xid.getFormatId() + "_" + b64.encodeToString(xid.getGlobalTransactionId()) + "_"
                + b64.encodeToString(xid.getBranchQualifier());
    }

    @Test
    void preparedInEveryParticipantIsCommittedNeverPresumedAborted() throws Exception {
        Tx tx = Tx.of("node-a");
        List<Action> plan = InDoubtResolution.plan(Map.of("db-a", List.of(tx.branch()), "db-w", List.of(tx.branch()),
                        "db-b", List.of()), "node-a", 3, (db, id) -> { throw new AssertionError("no lookup needed"); });
        assertEquals(2, plan.size());
        assertTrue(plan.stream().allMatch(Action::commit));
    }

    @Test
    void aLoneBranchIsLeftAloneWhileAStoreCannotBeRead() throws Exception {
        Tx tx = Tx.of("node-a");
        List<Action> plan = InDoubtResolution.plan(Map.of("db-a", List.of(tx.branch()), "db-w", List.of()),
                "node-a", 3, (db, id) -> false);
        assertTrue(plan.isEmpty(), "db-b was not read: its branch may have prepared, so no rollback");
    }

    @Test
    void preparedInOneFollowsTheOther() throws Exception {
        Tx committedInB = Tx.of("node-a");
        Tx neverInB = Tx.of("node-a");
        String committedBranch = committedInB.branch();
        String neverBranch = neverInB.branch();
        Set<String> markersInB = Set.of(committedInB.gtrid());
        List<Action> plan = InDoubtResolution.plan(
                Map.of("db-a", List.of(committedBranch, neverBranch), "db-b", List.of(), "db-w", List.of()),
                "node-a", 3, (db, id) -> db.equals("db-b") && markersInB.contains(id));
        assertEquals(List.of(new Action("db-a", committedBranch, true, "committed in another store"),
                new Action("db-a", neverBranch, false, "prepared in no other store and committed in none")), plan);
    }

    @Test
    void branchesOfOtherNodesAndForeignGidsAreLeftAlone() throws Exception {
        Tx other = Tx.of("node-b");
        List<Action> plan = InDoubtResolution.plan(
                Map.of("db-a", List.of(other.branch(), "made-by-hand"), "db-b", List.of(other.branch())),
                "node-a", 2, (db, id) -> false);
        assertTrue(plan.isEmpty());
        assertNull(InDoubtResolution.gtrid("made-by-hand"));
    }

    @Test
    void theCoordinatorIsReadWithNarayanasParserNotFoundInTheBytes() {
        String branch = Tx.of("node-a").branch();
        assertTrue(InDoubtResolution.belongsTo(branch, "node-a"));
        // the whole node identifier, not a part of it: the old search in the bytes took node-a for node-a2's
        assertFalse(InDoubtResolution.belongsTo(branch, "node-"));
        assertFalse(InDoubtResolution.belongsTo(Tx.of("node-a2").branch(), "node-a"));
    }

    @Test
    void aGidOfAnotherFormatBelongsToNoDuplexNode() {
        // another transaction manager's Xid whose bytes happen to hold a node name where Narayana puts it
        Xid narayanas = new XidImple(new Uid(), true, null);
        byte[] gtrid = (new String(narayanas.getGlobalTransactionId(), 0, Uid.UID_SIZE, StandardCharsets.ISO_8859_1)
                + "node-a").getBytes(StandardCharsets.ISO_8859_1);
        Base64.Encoder b64 = Base64.getEncoder();
        String foreign = "4711_" + b64.encodeToString(gtrid) + "_" + b64.encodeToString("branch".getBytes(StandardCharsets.US_ASCII));
        String sameBytesAsNarayana = "131077_" + b64.encodeToString(gtrid) + "_"
                + b64.encodeToString("branch".getBytes(StandardCharsets.US_ASCII));
        assertTrue(InDoubtResolution.belongsTo(sameBytesAsNarayana, "node-a"), "the bytes alone are Narayana's layout");
        assertFalse(InDoubtResolution.belongsTo(foreign, "node-a"), "format id 4711 is not Narayana's");
        assertFalse(InDoubtResolution.belongsTo("131077_bm9kZS1h_YnJhbmNo", "node-a"), "a gtrid too short for a Uid");
        assertFalse(InDoubtResolution.belongsTo("131077_not*base64_YnJhbmNo", "node-a"));
        assertFalse(InDoubtResolution.belongsTo("made-by-hand", "node-a"));
    }
}
