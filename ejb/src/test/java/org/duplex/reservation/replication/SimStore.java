package org.duplex.reservation.replication;

import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One simulated epoch store: a PostgreSQL holding the {@code cluster_state} row, markers, prepared
 * branches and (for a data database) business rows, with the epoch lock as PostgreSQL keeps it: held by
 * open sessions and, once a transaction is prepared, by the prepared transaction itself until it is
 * committed or rolled back (PREPARE TRANSACTION carries transaction-level advisory locks over, PostgreSQL
 * commit 71b9549, 9.1 on).
 */
final class SimStore {

    /** A transaction of the simulation, as its marker names it. */
    record Txn(int id, String node, InDoubtRule.Kind kind, java.util.List<String> participants, int writeId,
            long epoch, EpochState next) {
        boolean exclusive() {
            return kind == InDoubtRule.Kind.STATE_CHANGE;
        }
    }

    /** An open session of transaction {@code tx} holding the epoch lock. */
    record Hold(int tx, String node, boolean exclusive) {
    }

    /** An older copy of the store, to restore it from. */
    record Copy(EpochState row, TreeMap<Integer, Txn> markers, TreeMap<Integer, Txn> prepared) {
    }

    final String name;
    boolean up = true;
    /** false after a restore from a copy, until seeded from the other two (DESIGN.md) */
    boolean member = true;
    EpochState row;
    final TreeSet<Integer> data = new TreeSet<>();
    final TreeMap<Integer, Txn> markers = new TreeMap<>();
    final TreeMap<Integer, Txn> prepared = new TreeMap<>();
    final TreeMap<Integer, Hold> open = new TreeMap<>();
    /** per prepared write branch: whether the current state named this store lagging when it was prepared */
    final TreeMap<Integer, Boolean> preparedWhileLagging = new TreeMap<>();
    Copy copy;

    SimStore(String name, EpochState row) {
        this.name = name;
        this.row = row;
    }

    boolean readable() {
        return up && member;
    }

    boolean lockable(int tx, boolean exclusive) {
        for (Hold h : open.values()) {
            if (h.tx() != tx && (exclusive || h.exclusive())) {
                return false;
            }
        }
        for (Txn t : prepared.values()) {
            if (t.id() != tx && (exclusive || t.exclusive())) {
                return false;
            }
        }
        return true;
    }

    /** pg_terminate_backend of every open session of {@code node} (or of every node but it, when {@code others}). */
    void endSessions(String node, boolean others) {
        open.values().removeIf(h -> h.node().equals(node) != others);
    }

    void crash() {
        up = false;
        open.clear();
    }

    void snapshot() {
        copy = new Copy(row, new TreeMap<>(markers), new TreeMap<>(prepared));
    }

    /**
     * Restored from its older copy (the witness holds no business rows to lose). Detected: it is not a
     * member until seeded; undetected: it answers with its old row and branches as if nothing happened.
     */
    void restore(boolean detected) {
        row = copy.row();
        markers.clear();
        markers.putAll(copy.markers());
        prepared.clear();
        prepared.putAll(copy.prepared());
        open.clear();
        member = !detected;
    }

    /** Seeded from the other two: re-created with the highest of their rows, nothing prepared, no markers. */
    void seed(EpochState current) {
        row = current;
        markers.clear();
        prepared.clear();
        open.clear();
        member = true;
    }

    @Override
    public String toString() {
        return name + (up ? "" : " DOWN") + (member ? "" : " NON-MEMBER") + " [" + row + "] data " + data.size()
                + " prepared " + prepared.keySet() + " open " + open.values().stream().map(h -> h.tx() + (h.exclusive() ? "x" : "s")).toList();
    }
}
