package org.duplex.reservation.replication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duplex.reservation.replication.InDoubtRule.Kind;
import org.duplex.reservation.replication.SimStore.Hold;
import org.duplex.reservation.replication.SimStore.Txn;

/**
 * A node coordinating one transaction that takes the epoch lock, one action per step: a business write
 * (shared locks in its belief's write majority, {@link Quorum#checkWrite}) or a change of state (exclusive
 * locks in every store it reaches after ending the other node's open sessions there,
 * {@link Quorum#checkChange}, the resync's catch-up under those locks); then prepare in each participant
 * and commit in each, in lock order. A crash or pause can fall between any two steps.
 */
final class Coordinator extends SimOperation {

    private final int writeId;
    private final EpochState expected;
    private final EpochState next;
    private final List<String> targets;
    private final List<String> locked = new ArrayList<>();
    private Txn txn;
    private int i;

    /** A business write {@code writeId} when {@code next} is null, otherwise a change to {@code next}. */
    Coordinator(Simulation sim, Simulation.Node node, int writeId, EpochState next) {
        super(sim, node);
        this.writeId = writeId;
        this.expected = node.belief;
        this.next = next;
        this.targets = next == null ? node.belief.writeMajority() : Quorum.STORES;
    }

    private boolean change() {
        return next != null;
    }

    @Override
    boolean step() {
        if (txn == null && i < targets.size()) {
            return lock(sim.stores.get(targets.get(i++)));
        }
        if (txn == null) {
            return check();
        }
        if (i < txn.participants().size()) {
            return prepare(sim.stores.get(txn.participants().get(i++)));
        }
        return commit(sim.stores.get(txn.participants().get(i++ - txn.participants().size())));
    }

    private boolean lock(SimStore s) {
        if (change()) {
            if (s.readable()) {
                s.endSessions(node.name, true);
                if (s.lockable(tx, true)) {
                    s.open.put(tx, new Hold(tx, node.name, true));
                    locked.add(s.name);
                }
            }
            log(() -> "locks " + s.name + " exclusive: " + (locked.contains(s.name) ? "held" : "not held"));
            return false;
        }
        if (!s.readable() || !s.lockable(tx, false)) {
            log(() -> "write w" + writeId + " cannot lock " + s.name + " shared: aborts, nothing prepared");
            return true;
        }
        s.open.put(tx, new Hold(tx, node.name, false));
        locked.add(s.name);
        log(() -> "locks " + s.name + " shared");
        return false;
    }

    private boolean check() {
        Map<String, EpochState> rows = new LinkedHashMap<>();
        locked.forEach(name -> rows.put(name, sim.stores.get(name).row));
        Quorum.View view = rows.size() >= Quorum.MAJORITY ? Quorum.current(rows, node.highestSeen) : null;
        if (view instanceof Quorum.Divergence d) {
            log(() -> "finds a divergence and stops: " + d.reason());
            return true;
        }
        if (!change()) {
            Quorum.WriteVerdict verdict = Quorum.checkWrite(node.name, rows);
            if (!(verdict instanceof Quorum.Allowed allowed)) {
                log(() -> "write w" + writeId + " refused: " + verdict);
                learn(verdict instanceof Quorum.NotPrimary np ? np.state()
                        : verdict instanceof Quorum.ModeChanged mc ? mc.state() : null);
                return true;
            }
            txn = new Txn(tx, node.name, Kind.WRITE, List.copyOf(locked), writeId, allowed.state().epoch(), null);
        } else {
            String refusal = Quorum.checkChange(rows, expected, next);
            if (refusal != null) {
                log(() -> "change refused: " + refusal);
                learn(view instanceof Quorum.Current c ? c.state() : null);
                return true;
            }
            if (expected.degraded() && !next.degraded()) {
                catchUp(sim.stores.get(expected.dataDatabases().get(0)), sim.stores.get(expected.lagging()));
            }
            txn = new Txn(tx, node.name, Kind.STATE_CHANGE, List.copyOf(locked), 0, expected.epoch(), next);
        }
        log(() -> "checked; marker names " + txn.participants());
        i = 0;
        return false;
    }

    /** The fenced catch-up: every committed write of the source and its markers, under the exclusive locks. */
    private void catchUp(SimStore source, SimStore lagging) {
        lagging.data.addAll(source.data);
        source.markers.forEach((id, t) -> {
            if (t.kind() == Kind.WRITE) {
                lagging.markers.putIfAbsent(id, t);
            }
        });
        log(() -> "catch-up " + source.name + " -> " + lagging.name);
    }

    private void learn(EpochState s) {
        if (s != null) {
            node.seen(s);
        }
    }

    private boolean prepare(SimStore s) {
        if (!s.up || s.open.remove(tx) == null) {
            log(() -> "prepare in " + s.name + " fails (" + (s.up ? "its session was ended" : "down") + "): rolls back");
            for (String name : txn.participants()) {
                SimStore p = sim.stores.get(name);
                if (p.up && p.prepared.remove(tx) != null) {
                    p.preparedWhileLagging.remove(tx);
                }
            }
            return true;
        }
        s.prepared.put(tx, txn);
        if (!change() && Quorum.DATA_DATABASES.contains(s.name)) {
            s.preparedWhileLagging.put(tx, sim.laggingNow(s));
        }
        log(() -> "prepares in " + s.name);
        return false;
    }

    private boolean commit(SimStore s) {
        boolean last = i == 2 * txn.participants().size();
        if (!s.up) {
            log(() -> "cannot commit in " + s.name + " (down): outcome unknown, left to the finishers");
            return true;
        }
        if (s.prepared.containsKey(tx)) {
            sim.commitBranch(s, txn);
            if (change()) {
                node.seen(next); // it may now be the current state: a majority showing less is a divergence
            }
            log(() -> "commits in " + s.name);
        } else if (s.markers.containsKey(tx)) {
            log(() -> "finds it committed in " + s.name + " already");
        } else {
            log(() -> "finds its branch in " + s.name + " rolled back: heuristic outcome, answered 'outcome unknown'");
            return true;
        }
        if (last) {
            if (change()) {
                sim.changes++;
                log(() -> "change done: " + next);
            } else {
                sim.acknowledged.add(writeId);
                log(() -> "acknowledges w" + writeId + " to its client");
            }
        }
        return last;
    }
}
