package org.duplex.detector;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.duplex.reservation.replication.Quorum;

/**
 * Carries out {@link Decision.FinishInDoubt} before a takeover: ends the old primary's sessions in the
 * stores, so that it can prepare no further branch there, then finishes what it left prepared by the
 * plan of {@link InDoubtResolution} (DESIGN.md, the in-doubt rule), for writes and changes of state
 * apart. Never throws: a branch it cannot
 * finish now is planned again next round, and the takeover's compare-and-set refuses to go on while a
 * prepared change holds the epoch lock.
 */
final class InDoubtFinisher {

    private static final Logger LOG = Logger.getLogger(InDoubtFinisher.class.getName());

    private final InDoubtBranches branches;

    InDoubtFinisher(InDoubtBranches branches) {
        this.branches = branches;
    }

    void finish(Decision.FinishInDoubt d) {
        String old = d.deadNode();
        for (String db : d.stores()) {
            try {
                int ended = branches.endSessionsOf(db, old);
                if (ended > 0) {
                    LOG.info("ended " + ended + " session(s) of " + old + " in " + db);
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warning("could not end the sessions of " + old + " in " + db + ": " + e.getMessage());
            }
        }
        // with its sessions ended, the old primary can no longer prepare a branch: what is prepared now
        // is all there will be, and its outcome can be read off the markers (see InDoubtResolution)
        try {
            // every store read is a key, with what it holds prepared
            Map<String, List<String>> prepared = new LinkedHashMap<>();
            for (String db : d.stores()) {
                prepared.put(db, branches.preparedGids(db));
            }
            for (InDoubtResolution.Action a : InDoubtResolution.plan(prepared, old, Quorum.STORES.size(), branches::committed)) {
                try {
                    branches.finishPrepared(a.database(), a.gid(), a.commit());
                    LOG.warning((a.commit() ? "committed" : "rolled back") + " in-doubt branch of " + old + " in "
                            + a.database() + " (" + a.reason() + "): " + a.gid());
                } catch (SQLException | RuntimeException e) {
                    // finished meanwhile by its own node's recovery, or the database went away: planned again next round
                    LOG.warning("could not finish in-doubt branch " + a.gid() + " in " + a.database() + ": "
                            + FaultDetector.rootMessage(e));
                }
            }
        } catch (Exception e) {
            LOG.warning("could not finish the in-doubt branches of " + old + ": " + FaultDetector.rootMessage(e));
        }
    }
}
