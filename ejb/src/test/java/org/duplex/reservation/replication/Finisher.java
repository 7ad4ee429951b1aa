package org.duplex.reservation.replication;

import java.util.ArrayList;
import java.util.List;
import org.duplex.reservation.replication.InDoubtRule.Branch;
import org.duplex.reservation.replication.InDoubtRule.Commit;
import org.duplex.reservation.replication.InDoubtRule.CommitWithLagging;
import org.duplex.reservation.replication.InDoubtRule.Decision;
import org.duplex.reservation.replication.InDoubtRule.Kind;
import org.duplex.reservation.replication.InDoubtRule.Participant;
import org.duplex.reservation.replication.InDoubtRule.Rollback;
import org.duplex.reservation.replication.SimStore.Txn;

/**
 * A node's detector round finishing one prepared transaction it finds in a store it can read: it observes
 * every participant named by the marker, asks {@link InDoubtRule}, then finishes one branch per step. For
 * {@link CommitWithLagging} it commits what it can read and then starts the takeover naming that database
 * lagging: the takeover cannot come first, since the prepared branch holds the epoch lock shared in the
 * surviving store that the takeover must lock exclusive.
 */
final class Finisher extends SimOperation {

    private Txn txn;
    private Decision decision;
    private EpochState current;
    private List<Participant> observed;
    private int i;

    Finisher(Simulation sim, Simulation.Node node) {
        super(sim, node);
    }

    @Override
    boolean step() {
        if (decision == null) {
            return decide();
        }
        Participant p = observed.get(i++);
        SimStore s = sim.stores.get(p.store());
        if (decision instanceof Rollback) {
            if (s.up && s.prepared.remove(txn.id()) != null) {
                s.preparedWhileLagging.remove(txn.id());
                log(() -> "rolls back t" + txn.id() + " in " + s.name);
            }
        } else if (s.up && s.prepared.containsKey(txn.id())) {
            sim.commitBranch(s, txn);
            log(() -> "commits t" + txn.id() + " in " + s.name);
        } else if (p.branch() == Branch.ABSENT && p.lockedExclusive() && txn.kind() == Kind.WRITE
                && Quorum.DATA_DATABASES.contains(s.name) && s.open.containsKey(tx) && s.up) {
            // a data database lacking a finished transaction gets the rows its marker names
            s.data.add(txn.writeId());
            s.markers.put(txn.id(), txn);
            log(() -> "repairs " + s.name + " with w" + txn.writeId() + " from t" + txn.id() + "'s marker");
        }
        if (i < observed.size()) {
            return false;
        }
        if (decision instanceof CommitWithLagging cwl && node.detector == this) {
            release();
            sim.startDegrade(node, current, cwl.database());
            return false;
        }
        return true;
    }

    private boolean decide() {
        List<Txn> found = new ArrayList<>();
        sim.stores.values().stream().filter(SimStore::readable).forEach(s -> found.addAll(s.prepared.values()));
        if (found.isEmpty()) {
            log(() -> "finds nothing prepared");
            return true;
        }
        if (!(sim.view(node) instanceof Quorum.Current c)) {
            log(() -> "cannot read the current state: finishes nothing");
            return true;
        }
        current = c.state();
        txn = found.get(Math.floorMod(tx * 31, found.size()));
        observed = new ArrayList<>();
        for (String store : txn.participants()) {
            observed.add(sim.observeBranch(txn, store, tx, node.name));
        }
        decision = sim.decide(txn, observed, current.lagging());
        log(() -> "t" + txn.id() + " of " + txn.node() + " " + observed + ": " + decision);
        if (decision instanceof Commit || decision instanceof Rollback || decision instanceof CommitWithLagging) {
            i = 0;
            return false;
        }
        return true;
    }
}
