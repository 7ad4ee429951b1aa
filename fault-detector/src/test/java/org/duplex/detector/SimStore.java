package org.duplex.detector;

import java.util.BitSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.duplex.reservation.replication.EpochState;
import org.duplex.reservation.replication.Quorum;

/**
 * One simulated epoch store for {@link DetectorSimulation}: the {@code cluster_state} row, the liveness
 * tick, (in a data database) the business rows and the journal, the markers of committed transactions and
 * the branches left prepared by a coordinator that crashed between two commits. The epoch lock is held by
 * a prepared branch until it is finished (PostgreSQL carries transaction-level advisory locks over a
 * PREPARE TRANSACTION); every other transaction of the simulation runs inside one step, so it holds no
 * lock across steps.
 */
final class SimStore {

    /** A transaction of the simulation: a business write, a change of state, a tick or a catch-up. */
    static final class Tx {
        final int id;
        final String node;
        final boolean exclusive;
        final long epoch;
        /**
         * TRUE once committed anywhere or decided commit by its coordinator (every participant prepared),
         * FALSE once rolled back anywhere, null while undecided (its coordinator crashed while preparing).
         */
        Boolean outcome;

        Tx(int id, String node, boolean exclusive, long epoch) {
            this.id = id;
            this.node = node;
            this.exclusive = exclusive;
            this.epoch = epoch;
        }

        @Override
        public String toString() {
            return "t" + id + "(" + node + (exclusive ? ", change" : ", write") + " at epoch " + epoch + ")";
        }
    }

    /** What one transaction does in one store, applied when it commits there. */
    record Branch(Tx tx, String store, EpochState row, Set<Integer> data, Set<Integer> journal) {
    }

    final String name;
    boolean up = true;
    EpochState row;
    long tickEpoch;
    long tick;
    final BitSet data = new BitSet();
    final BitSet journal = new BitSet();
    /** Transactions committed here (their marker rows). */
    final TreeSet<Integer> markers = new TreeSet<>();
    final Map<Integer, Branch> prepared = new TreeMap<>();
    /** A late answer: the next {@link #staleReads} reads return this old snapshot instead of the row. */
    StoreRead staleAnswer;
    int staleReads;

    SimStore(String name, EpochState row) {
        this.name = name;
        this.row = row;
        this.tickEpoch = row.epoch();
    }

    boolean dataDatabase() {
        return Quorum.DATA_DATABASES.contains(name);
    }

    StoreRead read() {
        return new StoreRead(row, tickEpoch, row.primary(), tick);
    }

    /** What a read answers now: a late answer while there is one, else the row. */
    StoreRead answer() {
        if (staleReads > 0) {
            staleReads--;
            return staleAnswer;
        }
        return read();
    }

    /** Whether a lock in this mode could be taken now: a prepared branch holds its own. */
    boolean lockable(boolean exclusive) {
        for (Branch b : prepared.values()) {
            if (exclusive || b.tx().exclusive) {
                return false;
            }
        }
        return true;
    }

    /** Applies a branch's changes (COMMIT, or COMMIT PREPARED). */
    void commit(Branch b) {
        prepared.remove(b.tx().id);
        markers.add(b.tx().id);
        if (b.row() != null) {
            row = b.row();
        }
        b.data().forEach(data::set);
        b.journal().forEach(journal::set);
    }

    @Override
    public String toString() {
        return name + (up ? "" : " DOWN") + " [" + row + "] tick " + tickEpoch + "/" + tick + " data " + data.cardinality()
                + " journal " + journal.cardinality() + " prepared " + prepared.values().stream().map(b -> b.tx().toString()).toList();
    }
}
