package org.duplex.detector;

import com.arjuna.ats.arjuna.common.Uid;
import com.arjuna.ats.internal.jta.xa.XID;
import com.arjuna.ats.jta.xa.XATxConverter;
import com.arjuna.ats.jta.xa.XidImple;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.transaction.xa.Xid;

/**
 * Decides how to finish the XA branches a failed primary left prepared in the two databases. Pure: it
 * only plans; the detector carries the plan out, after it has ended the old primary's sessions, so
 * that no further branch of it can become prepared.
 *
 * <p>Every Duplex transaction that takes the epoch lock writes a marker row keyed by its global
 * transaction id in every store it writes (two for a write: its write majority), inside the transaction.
 * For one global transaction of the dead node (DESIGN.md, the in-doubt rule):
 * <ul>
 *   <li>prepared in two stores or more: every participant of a write prepared, so the coordinator may
 *       have decided commit and told the client; nothing presumes abort then: all are committed (a commit
 *       the client was never told of is answered as a duplicate when it resends);</li>
 *   <li>prepared in one store, and committed in another (its marker is there): commit it too;</li>
 *   <li>prepared in one store, committed nowhere, with every store read: the other participant never
 *       prepared (the coordinator's sessions were ended first, so it never will): roll it back;</li>
 *   <li>prepared in one store while some store could not be read: left alone, planned again next
 *       round, whatever the takeover about to be made would name lagging. Committing it then was
 *       unsound: the nemesis's {@code crossed} split (node-a reaches db-b and db-w, node-b db-a and
 *       db-w) had node-a's write time out preparing db-a, so Narayana rolled back its db-b branch, while
 *       node-b, about to take over naming db-b lagging, committed the db-a branch; node-a's own takeover
 *       won the epoch and named db-a lagging instead, and the catch-up of db-a stopped for good on the
 *       committed stray (a second row for the operation the client had resent). A change of state's
 *       lone branch is the same (DetectorSimulationTest, seed 1140). The price is availability: writes
 *       wait until the store holding the sibling answers again.</li>
 * </ul>
 */
final class InDoubtResolution {

    /** One branch to finish. */
    record Action(String database, String gid, boolean commit, String reason) {
    }

    /** Answers whether the transaction with this global id committed in a database. */
    @FunctionalInterface
    interface CommitLookup {
        boolean committed(String database, String gtrid) throws Exception;
    }

    private InDoubtResolution() {
    }

    /**
     * @param prepared  the gids prepared in each store that could be read ({@code db-a}, {@code db-b}, {@code db-w})
     * @param deadNode  the node whose transactions these may be; branches of other nodes are left alone
     * @param allStores how many stores there are: a rollback needs every one of them read
     */
    static List<Action> plan(Map<String, List<String>> prepared, String deadNode, int allStores, CommitLookup lookup)
            throws Exception {
        Map<String, Map<String, String>> byGtrid = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : prepared.entrySet()) {
            for (String gid : e.getValue()) {
                String gtrid = gtrid(gid);
                if (gtrid != null && belongsTo(gid, deadNode)) {
                    byGtrid.computeIfAbsent(gtrid, k -> new LinkedHashMap<>()).put(e.getKey(), gid);
                }
            }
        }
        List<Action> actions = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> tx : byGtrid.entrySet()) {
            Map<String, String> branches = tx.getValue();
            if (branches.size() >= 2) {
                branches.forEach((db, gid) -> actions.add(new Action(db, gid, true,
                        "prepared in " + branches.keySet() + ": every participant prepared, never presumed aborted")));
                continue;
            }
            for (Map.Entry<String, String> branch : branches.entrySet()) {
                boolean committedElsewhere = false;
                for (String other : prepared.keySet()) {
                    if (!other.equals(branch.getKey()) && lookup.committed(other, tx.getKey())) {
                        committedElsewhere = true;
                    }
                }
                if (!committedElsewhere && prepared.size() < allStores) {
                    continue;
                }
                actions.add(new Action(branch.getKey(), branch.getValue(), committedElsewhere, committedElsewhere
                        ? "committed in another store" : "prepared in no other store and committed in none"));
            }
        }
        return actions;
    }

    /** The base64 global transaction id of a PostgreSQL gid {@code formatId_gtrid_bqual}, or null if it is not one. */
    static String gtrid(String gid) {
        String[] parts = gid.split("_");
        if (parts.length != 3) {
            return null;
        }
        try {
            Integer.parseInt(parts[0]);
            Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return parts[1];
    }

    /**
     * Whether the coordinator of the branch with this PostgreSQL gid ({@code formatId_gtrid_bqual}, as the
     * JDBC driver writes an Xid) is {@code node}: Narayana puts its node identifier ({@code jboss.tx.node.id})
     * into every global transaction id it makes, and reads it back with {@link XATxConverter#getNodeName}.
     * A gid Narayana did not make (another format id, or not an Xid at all) belongs to no Duplex node.
     */
    static boolean belongsTo(String gid, String node) {
        return node.equals(coordinator(gid));
    }

    /** The node identifier Narayana wrote into the gid's global transaction id, or null if it is not Narayana's. */
    private static String coordinator(String gid) {
        XID xid = narayanaXid(gid);
        // getNodeName answers null for a format id that is not one of Narayana's
        return xid == null ? null : XATxConverter.getNodeName(xid);
    }

    /** The gid ({@code formatId_gtrid_bqual}, base64 parts) as Narayana's Xid, or null if it cannot be one of Narayana's. */
    static XID narayanaXid(String gid) {
        String[] parts = gid.split("_");
        if (parts.length != 3) {
            return null;
        }
        PostgresXid xid;
        try {
            xid = new PostgresXid(Integer.parseInt(parts[0]), Base64.getDecoder().decode(parts[1]),
                    Base64.getDecoder().decode(parts[2]));
        } catch (IllegalArgumentException e) {
            return null;
        }
        // Narayana's own ids only: anything longer is not one of them, and its node name follows a whole Uid
        if (xid.gtrid.length <= Uid.UID_SIZE || xid.gtrid.length > XID.MAXGTRIDSIZE
                || xid.bqual.length > XID.MAXBQUALSIZE) {
            return null;
        }
        return new XidImple(xid).getXID();
    }

    /** An Xid as PostgreSQL holds it in a prepared transaction's gid. */
    private record PostgresXid(int formatId, byte[] gtrid, byte[] bqual) implements Xid {
        @Override
        public int getFormatId() {
            return formatId;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return gtrid.clone();
        }

        @Override
        public byte[] getBranchQualifier() {
            return bqual.clone();
        }
    }
}
