package org.duplex.detector;

import com.arjuna.ats.arjuna.common.Uid;
import com.arjuna.ats.arjuna.coordinator.ActionManager;
import com.arjuna.ats.arjuna.objectstore.StateStatus;
import com.arjuna.ats.arjuna.objectstore.StoreManager;
import com.arjuna.ats.internal.jta.xa.XID;
import com.arjuna.ats.jta.xa.XATxConverter;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Rolls back the prepared branches this node's own transaction manager aborted but could not roll back
 * itself: an ended session (a takeover's fencing, a degrade ending the writes stuck on a silent database,
 * an operator) leaves the branch prepared with its locks, the epoch lock among them, and Narayana's
 * rollback through that session fails ({@code ARJUNA016045}, connection closed). Its periodic recovery
 * presumes abort only after an orphan safety interval; until then the branch blocked every degrade and
 * takeover (CI: a SIGSTOPped db-b, "not in degraded mode after 20 s"), and the other node could not finish
 * it while its sibling's database was unread.
 *
 * <p>The rule is Narayana's own presumed abort, with the in-flight question answered by the coordinator
 * itself: a branch whose global transaction this JVM made, that is no longer running here
 * ({@link ActionManager#get}) and has no commit record in the object store ({@link StateStatus#OS_UNKNOWN}),
 * ended without a decision to commit: Narayana writes that record before the first commit and keeps it
 * until every branch is committed.
 */
final class OwnAbortedBranches {

    private static final Logger LOG = Logger.getLogger(OwnAbortedBranches.class.getName());
    /** The object store type of every top-level JTA transaction ({@code com.arjuna.ats.arjuna.AtomicAction.type()}). */
    private static final String ATOMIC_ACTION = "/StateManager/BasicAction/TwoPhaseCoordinator/AtomicAction";

    private final InDoubtBranches branches;
    private final Predicate<String> endedWithoutCommit;

    /** Over the real transaction manager of this JVM. */
    OwnAbortedBranches(InDoubtBranches branches) {
        this(branches, OwnAbortedBranches::endedWithoutCommitHere);
    }

    OwnAbortedBranches(InDoubtBranches branches, Predicate<String> endedWithoutCommit) {
        this.branches = branches;
        this.endedWithoutCommit = endedWithoutCommit;
    }

    /**
     * Rolls back, in each store, the Duplex branches prepared by {@code node} (this node) that its
     * transaction manager ended without a commit decision. Never throws: what fails is tried next time.
     *
     * @return how many branches were rolled back
     */
    int rollBack(String node, List<String> stores) {
        int done = 0;
        for (String db : stores) {
            try {
                for (String gid : branches.preparedGids(db)) {
                    if (InDoubtResolution.belongsTo(gid, node) && endedWithoutCommit.test(gid)) {
                        branches.finishPrepared(db, gid, false);
                        done++;
                        LOG.warning("rolled back a branch of " + node + " in " + db + " that its transaction manager"
                                + " aborted without reaching it (its session was ended): " + gid);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                LOG.fine(() -> "own aborted branches in " + db + " not finished: " + FaultDetector.rootMessage(e));
            }
        }
        return done;
    }

    /** Whether this JVM's transaction manager made the gid's transaction and ended it without a commit record. */
    static boolean endedWithoutCommitHere(String gid) {
        XID xid = InDoubtResolution.narayanaXid(gid);
        if (xid == null) {
            return false;
        }
        Uid uid = XATxConverter.getUid(xid);
        if (uid == null || !uid.valid() || ActionManager.manager().get(uid) != null) {
            return false;
        }
        try {
            return StoreManager.getRecoveryStore().currentState(uid, ATOMIC_ACTION) == StateStatus.OS_UNKNOWN;
        } catch (com.arjuna.ats.arjuna.exceptions.ObjectStoreException e) {
            return false;
        }
    }
}
