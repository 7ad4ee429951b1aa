package org.duplex.reservation.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.duplex.reservation.replication.InDoubtRule.Branch;
import org.duplex.reservation.replication.InDoubtRule.Decision;
import org.duplex.reservation.replication.InDoubtRule.Kind;
import org.duplex.reservation.replication.InDoubtRule.Participant;
import org.duplex.reservation.replication.SimStore.Hold;
import org.duplex.reservation.replication.SimStore.Txn;

/**
 * One seeded schedule of the three epoch stores and the two nodes, driven by {@link Random} alone (no
 * thread, no clock), so a seed replays exactly. Every step is one action of one actor: one lock, one
 * prepare or one commit of an operation in flight, the start of a business write, of a change of state or
 * of a finisher round, a read of the stores, or a fault. Safety never depends on timing (DESIGN.md), so
 * any node may try any change at any time, and a paused node resumes its operation with its old belief.
 * After every step {@link #check()} asserts the invariants; a broken one throws {@link AssertionError}.
 */
final class Simulation {

    /** What the world may do beyond DESIGN.md; both off is DESIGN.md. */
    record Options(boolean undetectedRestores, boolean strictLaggingAtCommit) {
        static final Options DESIGN = new Options(false, false);
    }

    enum Status { ALIVE, PAUSED, CRASHED }

    final class Node {
        final String name;
        Status status = Status.ALIVE;
        EpochState belief;
        EpochState highestSeen;
        SimOperation write;
        SimOperation detector;

        Node(String name, EpochState initial) {
            this.name = name;
            this.belief = initial;
            this.highestSeen = initial;
        }

        void seen(EpochState s) {
            belief = s;
            if (s.epoch() > highestSeen.epoch()) {
                highestSeen = s;
            }
        }

        String other() {
            return name.equals("node-a") ? "node-b" : "node-a";
        }
    }

    private final Random random;
    final Options options;
    final Map<String, SimStore> stores = new LinkedHashMap<>();
    final List<Node> nodes = new ArrayList<>();
    final TreeSet<Integer> acknowledged = new TreeSet<>();
    private final Map<Long, String> writerOfEpoch = new HashMap<>();
    private final Map<Long, EpochState> rowOfEpoch = new HashMap<>();
    final List<String> trace = new ArrayList<>();
    boolean tracing;
    int nextTx = 1;
    int nextWrite = 1;
    int steps;
    /** commits of a branch into a data database named lagging after that branch prepared (allowed; counted) */
    int lateCommitsIntoLagging;
    /** changes of state whose coordinator committed them everywhere */
    int changes;

    Simulation(long seed, Options options) {
        this.random = new Random(seed);
        this.options = options;
        EpochState initial = new EpochState(1, "node-a", null, "setup");
        for (String name : Quorum.STORES) {
            stores.put(name, new SimStore(name, initial));
        }
        rowOfEpoch.put(1L, initial);
        nodes.add(new Node("node-a", initial));
        nodes.add(new Node("node-b", initial));
    }

    void run(int count) {
        for (int i = 0; i < count; i++) {
            steps++;
            step();
            check();
        }
    }

    /** Adds a line to the trace when tracing: a failing seed is run again with it on, so the fast run builds no strings. */
    void log(Node n, Supplier<String> what) {
        if (tracing) {
            trace.add(steps + " " + (n == null ? "" : n.name + ": ") + what.get());
        }
    }

    private void step() {
        int r = random.nextInt(100);
        Node n = nodes.get(random.nextInt(nodes.size()));
        if (r >= 88) {
            Faults.inject(this, random);
        } else if (n.status != Status.ALIVE) {
            log(n, () -> "(" + n.status + ", does nothing)");
        } else if (r < 55) {
            advance(n);
        } else if (r < 72) {
            startWrite(n);
        } else if (r < 77) {
            startChange(n);
        } else if (r < 82) {
            startFinisher(n);
        } else {
            observe(n);
        }
    }

    private void advance(Node n) {
        boolean pickWrite = n.write != null && (n.detector == null || random.nextBoolean());
        SimOperation op = pickWrite ? n.write : n.detector;
        if (op == null) {
            log(n, () -> "idle");
            return;
        }
        if (op.step()) {
            op.release();
            if (pickWrite) {
                n.write = null;
            } else if (n.detector == op) {
                n.detector = null;
            }
        }
    }

    private void startWrite(Node n) {
        if (n.write != null || !n.belief.primary().equals(n.name)) {
            log(n, () -> "no write started (" + (n.write != null ? "one in flight" : "not primary in its belief") + ")");
            return;
        }
        int id = nextWrite++;
        log(n, () -> "starts write w" + id + " under its belief " + n.belief);
        n.write = new Coordinator(this, n, id, null);
    }

    private void startChange(Node n) {
        if (n.detector != null) {
            log(n, () -> "detector busy");
            return;
        }
        EpochState b = n.belief;
        EpochState next = switch (random.nextInt(4)) {
            case 0 -> b.next(n.name, b.lagging(), n.name);                                   // failover / promotion
            case 1 -> b.next(n.other(), b.lagging(), n.name);                                // switchover
            case 2 -> b.degraded() ? b.next(n.name, null, n.name)                           // resync
                    : b.next(n.name, Quorum.DATA_DATABASES.get(random.nextInt(2)), n.name);  // degrade
            default -> b.degraded() ? b.next(b.primary(), null, n.name) : b.next(b.primary(), "db-b", n.name);
        };
        log(n, () -> "starts change " + b + " -> " + next);
        n.detector = new Coordinator(this, n, 0, next);
    }

    void startDegrade(Node n, EpochState current, String lagging) {
        EpochState next = current.next(n.name, lagging, n.name);
        log(n, () -> "takeover: starts change " + current + " -> " + next);
        n.detector = new Coordinator(this, n, 0, next);
    }

    private void startFinisher(Node n) {
        if (n.detector != null) {
            log(n, () -> "detector busy");
            return;
        }
        n.detector = new Finisher(this, n);
        log(n, () -> "detector round starts");
    }

    /** The stores this node can read now and the state they show it. */
    Quorum.View view(Node n) {
        Map<String, EpochState> rows = new LinkedHashMap<>();
        stores.values().stream().filter(SimStore::readable).forEach(s -> rows.put(s.name, s.row));
        return Quorum.current(rows, n.highestSeen);
    }

    private void observe(Node n) {
        Quorum.View v = view(n);
        if (v instanceof Quorum.Current c) {
            n.seen(c.state());
        }
        log(n, () -> "reads the stores: " + v);
    }

    /** The current state as DESIGN.md defines it, over every store whether up or not. */
    EpochState truth() {
        Map<String, EpochState> rows = new LinkedHashMap<>();
        stores.values().forEach(s -> rows.put(s.name, s.row));
        Quorum.View v = Quorum.current(rows, null);
        if (v instanceof Quorum.Current c) {
            return c.state();
        }
        throw violation("(d) the stores hold two rows at one epoch: " + v);
    }

    boolean laggingNow(SimStore s) {
        return s.name.equals(truth().lagging());
    }

    /** COMMIT PREPARED of one branch, by its coordinator or a finisher. */
    void commitBranch(SimStore s, Txn t) {
        s.prepared.remove(t.id());
        s.markers.put(t.id(), t);
        if (t.kind() == Kind.STATE_CHANGE) {
            s.row = t.next();
            EpochState before = rowOfEpoch.putIfAbsent(t.next().epoch(), t.next());
            if (before != null && !before.sameRow(t.next())) {
                throw violation("(d) " + s.name + " commits " + t.next() + " where " + before + " was written at that epoch");
            }
            return;
        }
        String writer = writerOfEpoch.putIfAbsent(t.epoch(), t.node());
        if (writer != null && !writer.equals(t.node())) {
            throw violation("(a) " + t.node() + " commits w" + t.writeId() + " at epoch " + t.epoch() + " where "
                    + writer + " committed writes");
        }
        if (Quorum.DATA_DATABASES.contains(s.name)) {
            Boolean laggingAtPrepare = s.preparedWhileLagging.remove(t.id());
            if (Boolean.TRUE.equals(laggingAtPrepare)) {
                throw violation("(c) w" + t.writeId() + " commits into " + s.name + ", which the current state named "
                        + "lagging when it prepared there");
            }
            if (laggingNow(s)) {
                if (options.strictLaggingAtCommit()) {
                    throw violation("(c, strict) w" + t.writeId() + " commits into " + s.name + ", named lagging by " + truth());
                }
                lateCommitsIntoLagging++;
            }
            s.data.add(t.writeId());
        }
    }

    /** After every step: the invariants of the brief, (a) and (c) being checked where commits happen. */
    void check() {
        for (SimStore s : stores.values()) {
            EpochState before = rowOfEpoch.get(s.row.epoch());
            if (before != null && !before.sameRow(s.row)) {
                throw violation("(d) " + s.name + " holds " + s.row + " where " + before + " was written at that epoch");
            }
        }
        EpochState current = truth();
        for (String db : current.dataDatabases()) {
            if (!stores.get(db).data.containsAll(acknowledged)) {
                TreeSet<Integer> missing = new TreeSet<>(acknowledged);
                missing.removeAll(stores.get(db).data);
                throw violation("(b) acknowledged writes " + missing + " are missing from " + db
                        + ", which the current state " + current + " does not name lagging");
            }
        }
    }

    AssertionError violation(String what) {
        return new AssertionError("step " + steps + ": " + what);
    }

    String describe() {
        StringBuilder b = new StringBuilder();
        stores.values().forEach(s -> b.append("\n  ").append(s));
        nodes.forEach(n -> b.append("\n  ").append(n.name).append(' ').append(n.status).append(" believes ")
                .append(n.belief).append(", highest seen epoch ").append(n.highestSeen.epoch()));
        b.append("\n  acknowledged ").append(acknowledged);
        return b.toString();
    }

    /** The finisher's view of one participant, ending the coordinator's sessions where the branch is absent. */
    Participant observeBranch(Txn t, String store, int finisherTx, String finisherNode) {
        SimStore s = stores.get(store);
        if (!s.readable()) {
            return new Participant(store, Branch.UNREADABLE, false);
        }
        if (s.markers.containsKey(t.id())) {
            return new Participant(store, Branch.COMMITTED, false);
        }
        if (s.prepared.containsKey(t.id())) {
            return new Participant(store, Branch.PREPARED, false);
        }
        s.endSessions(t.node(), false);
        boolean locked = s.lockable(finisherTx, true);
        if (locked) {
            s.open.put(finisherTx, new Hold(finisherTx, finisherNode, true));
        }
        return new Participant(store, Branch.ABSENT, locked);
    }

    Decision decide(Txn t, List<Participant> ps, String lagging) {
        return InDoubtRule.decide(t.kind(), ps, lagging);
    }
}
