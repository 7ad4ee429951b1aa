package org.duplex.detector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides how to finish the XA branches a failed primary left prepared in the two databases. Pure: it
 * only plans; the detector carries the plan out, after it has ended the old primary's sessions, so
 * that no further branch of it can become prepared.
 *
 * <p>Every Duplex write writes a marker row keyed by its global transaction id in both databases,
 * inside the transaction. For one global transaction of the dead node:
 * <ul>
 *   <li>prepared in both databases: neither committed, so no client was told it succeeded; both are
 *       rolled back (presumed abort) and the client's resend applies it once;</li>
 *   <li>prepared in one only: the other branch either committed (its marker is there: commit this
 *       one too) or never prepared or rolled back (no marker: roll this one back).</li>
 * </ul>
 * Either way the two databases end with the same outcome. What this does not cover: a paused primary
 * that wakes up inside the few milliseconds between this plan and its execution and finishes a branch
 * itself on a new connection (Narayana retries a failed phase two only from its periodic recovery).
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
     * @param prepared the gids prepared in each database ({@code db-a}, {@code db-b})
     * @param deadNode the node whose transactions these may be; branches of other nodes are left alone
     */
    static List<Action> plan(Map<String, List<String>> prepared, String deadNode, CommitLookup lookup) throws Exception {
        Map<String, Map<String, String>> byGtrid = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : prepared.entrySet()) {
            for (String gid : e.getValue()) {
                String gtrid = gtrid(gid);
                if (gtrid != null && belongsTo(gtrid, deadNode)) {
                    byGtrid.computeIfAbsent(gtrid, k -> new LinkedHashMap<>()).put(e.getKey(), gid);
                }
            }
        }
        List<Action> actions = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> tx : byGtrid.entrySet()) {
            Map<String, String> branches = tx.getValue();
            if (branches.size() == prepared.size()) {
                branches.forEach((db, gid) -> actions.add(new Action(db, gid, false,
                        "prepared in every database, committed in none")));
                continue;
            }
            for (Map.Entry<String, String> branch : branches.entrySet()) {
                boolean committedElsewhere = false;
                for (String other : prepared.keySet()) {
                    if (!other.equals(branch.getKey()) && lookup.committed(other, tx.getKey())) {
                        committedElsewhere = true;
                    }
                }
                actions.add(new Action(branch.getKey(), branch.getValue(), committedElsewhere, committedElsewhere
                        ? "committed in the other database" : "not committed in the other database"));
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

    /** Narayana writes the coordinator's node identifier into the global transaction id. */
    static boolean belongsTo(String gtrid, String node) {
        String bytes = new String(Base64.getDecoder().decode(gtrid), StandardCharsets.ISO_8859_1);
        return bytes.contains(node);
    }
}
