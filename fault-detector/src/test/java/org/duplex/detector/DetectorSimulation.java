package org.duplex.detector;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.duplex.reservation.replication.EpochState;
import org.duplex.reservation.replication.Quorum;

/**
 * One seeded schedule of two nodes, each running the real {@link Detector} rules, over three simulated
 * epoch stores ({@link SimStore}), driven by one {@link Random} and a simulated clock: no thread, no
 * wall clock, so a seed replays exactly. The effects of the decisions are carried out as
 * {@link FaultDetector} and {@link ClusterStateStore} carry them out: a change locks the stores it names
 * exclusive and writes only if {@code Quorum.checkChange} agrees; a tick, a business write and a catch-up
 * batch pass the write fence ({@code Quorum.checkWrite}) first.
 *
 * <p>A node's round is spread over several steps (read and reconcile; each decision; probes and watch;
 * each decision), so the other node, the stores and the faults move in between, and a paused node
 * resumes with decisions made on what is by then the past. Faults: a node crashes (its memory is lost;
 * it restarts with a fresh detector and finishes its own transactions left prepared, as Narayana's
 * recovery does), pauses and resumes, a store goes down and comes back, a store gives late answers (an
 * old row), heartbeats and store reads are lost, a hand-off request is lost, a coordinator crashes
 * between two prepares or two commits, an admin drains a node.
 *
 * <p>After every step {@link #check()} asserts: (a) no two nodes commit writes (business writes or
 * liveness ticks) at one epoch; (b) every acknowledged write is in every data database the current
 * state does not name lagging (committed, or prepared with commit decided); (c) no write or tick is
 * accepted by a store whose row is not the current state, nor a business write by a data database it
 * names lagging; (d) no two rows at one epoch. At the end, with every fault healed, (e) the cluster
 * converges: one primary that ticks, both nodes agreeing with the stores, sync mode under nofail, nothing
 * left prepared.
 */
final class DetectorSimulation {

    enum Status { ALIVE, PAUSED, CRASHED }

    /** Where a node is in its round. */
    enum Phase { IDLE, RECONCILED, WATCHED }

    final class Node {
        final String name;
        Status status = Status.ALIVE;
        DetectorSettings settings;
        DetectorMemory memory;
        /** This node's reservation/primary binding (the management model keeps it across a restart). */
        String binding;
        Phase phase = Phase.IDLE;
        final ArrayDeque<Decision> pending = new ArrayDeque<>();
        boolean switchoverAsked;

        Node(String name, DetectorSettings settings) {
            this.name = name;
            this.settings = settings;
            this.memory = DetectorMemory.start(now);
        }

        String other() {
            return name.equals("node-a") ? "node-b" : "node-a";
        }
    }

    static final Map<String, String> NODES = Map.of("node-a", "remote+http://127.0.0.1:8180",
            "node-b", "remote+http://127.0.0.1:8280");

    /**
     * What the world may do beyond the code as it is; {@link #CODE} is the code.
     *
     * @param takeoverCommitsLoneBranches the in-doubt rule before seed 1140 and the nemesis's crossed split: a
     *                                    takeover with one data database unread commits a lone prepared branch in
     *                                    the other (of a write or a change of state)
     */
    record Options(boolean takeoverCommitsLoneBranches) {
        static final Options CODE = new Options(false);
    }

    private final Random random;
    final Options options;
    final DetectorSettings.Policy policy;
    final Map<String, SimStore> stores = new LinkedHashMap<>();
    final Map<String, Node> nodes = new LinkedHashMap<>();
    final BitSet acknowledged = new BitSet();
    private final Map<Long, String> writerOfEpoch = new HashMap<>();
    private final Map<Long, EpochState> rowOfEpoch = new HashMap<>();
    /** Transactions whose coordinator crashed with branches prepared: finished by a finisher or its recovery. */
    private final Map<Integer, SimStore.Tx> inDoubt = new HashMap<>();
    final List<String> trace = new ArrayList<>();
    boolean tracing;
    /** Faults and lost messages off: the end of a schedule, when the cluster must converge. */
    private boolean healed;
    private EpochState truth;
    long now;
    int steps;
    int nextTx = 1;
    int nextWrite = 1;
    final Map<String, Integer> changes = new HashMap<>();
    int torn;

    DetectorSimulation(long seed, Options options) {
        random = new Random(seed);
        this.options = options;
        policy = random.nextInt(4) == 0 ? DetectorSettings.Policy.STRICT : DetectorSettings.Policy.NOFAIL;
        EpochState initial = new EpochState(1, "node-a", null, "setup");
        rowOfEpoch.put(1L, initial);
        for (String name : Quorum.STORES) {
            stores.put(name, new SimStore(name, initial));
        }
        for (String name : NODES.keySet().stream().sorted().toList()) {
            nodes.put(name, new Node(name, settings(name, false)));
        }
    }

    /** The server's defaults, with a shorter failback delay and startup grace so that a schedule sees them. */
    DetectorSettings settings(String node, boolean drained) {
        return new DetectorSettings(node, NODES, 200, 300, 3, DetectorSettings.Failback.AUTO, 1000, "node-a", 2000,
                policy, drained);
    }

    void log(Node n, Supplier<String> what) {
        if (tracing) {
            trace.add(steps + " @" + now + "ms " + (n == null ? "" : n.name + ": ") + what.get());
        }
    }

    /** {@code count} steps with faults, then {@code quiet} steps with every fault healed, then (e). */
    void run(int count, int quiet) {
        for (int i = 0; i < count; i++) {
            step();
        }
        heal();
        for (int i = 0; i < quiet; i++) {
            step();
        }
        converged();
    }

    private void step() {
        steps++;
        now += random.nextInt(40);
        int r = random.nextInt(100);
        Node n = random.nextBoolean() ? nodes.get("node-a") : nodes.get("node-b");
        if (r < 8 && !healed) {
            fault(n);
        } else if (n.status != Status.ALIVE) {
            log(n, () -> "(" + n.status + ")");
        } else if (r < 30) {
            businessWrite(n);
        } else {
            advance(n);
        }
        check();
    }

    private boolean lost(int percent) {
        return !healed && random.nextInt(100) < percent;
    }

    // ---- the detector loop, as FaultDetector runs it, one piece per step

    private void advance(Node n) {
        if (!n.pending.isEmpty()) {
            Decision d = n.pending.poll();
            if (act(n, d)) {
                // a change was made or found made: the rest was decided on the past; the next round reads again
                n.pending.clear();
                n.phase = Phase.IDLE;
            }
            return;
        }
        if (n.switchoverAsked) {
            n.switchoverAsked = false;
            askedToSwitchOver(n);
            return;
        }
        if (n.phase == Phase.RECONCILED) {
            watch(n);
        } else {
            reconcile(n);
        }
    }

    private void reconcile(Node n) {
        Map<String, StoreRead> reads = new HashMap<>();
        for (SimStore s : stores.values()) {
            if (s.up && !lost(5)) {
                reads.put(s.name, s.answer());
            }
        }
        Detector.Step step = Detector.reconcile(n.memory, new Detector.StoreObservation(n.settings, now, reads, n.binding));
        n.memory = step.memory();
        log(n, () -> "reads " + reads.keySet() + ": " + (step.quorum() ? step.memory().state() + " as " + step.memory().role()
                : step.memory().storeTrouble()) + " -> " + step.decisions());
        n.pending.addAll(step.decisions());
        n.phase = step.quorum() ? Phase.RECONCILED : Phase.IDLE;
    }

    private void watch(Node n) {
        DetectorMemory m = n.memory;
        HeartbeatProbe.Result first = probe(n, Detector.probeTarget(m, n.settings));
        HeartbeatProbe.Result again = Detector.confirms(m, first) ? probe(n, m.state().primary()) : null;
        HeartbeatProbe.Result self = Detector.wantsSelfProbe(m, n.settings, first) ? probe(n, n.name) : null;
        Detector.Step step = Detector.watch(m, new Detector.PeerObservation(n.settings, now, first, again, self));
        n.memory = step.memory();
        log(n, () -> "probes " + first.outcome() + (again == null ? "" : "/" + again.outcome()) + ", peer "
                + step.memory().peer().label() + " -> " + step.decisions());
        // the markers are never pruned in the model: pruning rests on the transaction timeout (a marker is
        // written before its transaction prepares, within 30 s), which the model's steps do not measure; left
        // out of the queue, it keeps every seed's schedule as it was
        step.decisions().stream().filter(d -> !(d instanceof Decision.PruneMarkers)).forEach(n.pending::add);
        n.phase = Phase.WATCHED;
        if (n.pending.isEmpty()) {
            n.phase = Phase.IDLE;
        }
    }

    /** A heartbeat: refused by a crashed node, timed out by a paused one or when lost, 503 from an unhealthy one. */
    private HeartbeatProbe.Result probe(Node from, String target) {
        Node t = nodes.get(target);
        HeartbeatProbe.Outcome o;
        if (t.status == Status.CRASHED) {
            o = HeartbeatProbe.Outcome.REFUSED;
        } else if (t.status == Status.PAUSED || (t != from && lost(5))) {
            o = HeartbeatProbe.Outcome.TIMEOUT;
        } else {
            o = Detector.unhealthy(t.memory, t.settings, now, null) == null ? HeartbeatProbe.Outcome.ALIVE
                    : HeartbeatProbe.Outcome.UNHEALTHY;
        }
        return new HeartbeatProbe.Result(o, 1000, o.name());
    }

    /** The other node's switchover request (REST): FaultDetector.switchover, a reconcile then a change. */
    private void askedToSwitchOver(Node n) {
        reconcile(n);
        n.pending.clear();
        n.phase = Phase.IDLE;
        EpochState current = n.memory.state();
        if (n.memory.storeTrouble() == null && current != null && !current.primary().equals(n.name) && !n.settings.drained()) {
            act(n, new Decision.SwitchOver(current, n.memory.answered(), "switchover", "requested"));
        }
    }

    /** One decision carried out. @return whether the state changed or a change found it changed */
    private boolean act(Node n, Decision d) {
        log(n, () -> "does " + d);
        if (d instanceof Decision.Rebind r) {
            n.binding = r.binding().format();
            n.memory = n.memory.bound(n.binding);
        } else if (d instanceof Decision.HandOff h) {
            if (!lost(20)) {
                nodes.get(h.node()).switchoverAsked = true;
            }
        } else if (d instanceof Decision.TickLiveness t) {
            if (fenced(n, t.expected(), false) == null) {
                for (String db : t.expected().writeMajority()) {
                    SimStore s = stores.get(db);
                    accepted(s, n, t.expected(), false);
                    s.tickEpoch = t.expected().epoch();
                    s.tick++;
                }
                n.memory = n.memory.ticked(now);
            }
        } else if (d instanceof Decision.FinishInDoubt f) {
            finishInDoubt(f);
        } else if (d instanceof Decision.StateChange c) {
            return change(n, c);
        }
        return false;
    }

    // ---- the stores' side: the write fence, changes of state, in-doubt branches

    /**
     * The write fence of ClusterStateStore.fenceShared and of every business write: the epoch lock shared
     * in {@code expected}'s write majority, {@code Quorum.checkWrite} there. @return why not, null if it passes
     */
    private String fenced(Node n, EpochState expected, boolean alsoLagging) {
        Map<String, EpochState> rows = new LinkedHashMap<>();
        List<String> wanted = new ArrayList<>(expected.writeMajority());
        if (alsoLagging) {
            wanted.add(expected.lagging());
        }
        for (String db : wanted) {
            SimStore s = stores.get(db);
            if (!s.up || !s.lockable(false)) {
                return db + (s.up ? " locked" : " down");
            }
            if (expected.writeMajority().contains(db)) {
                rows.put(db, s.row);
            }
        }
        var verdict = Quorum.checkWrite(n.name, rows);
        return verdict instanceof Quorum.Allowed a && a.state().sameRow(expected) ? null : "fenced: " + verdict;
    }

    /** (c): a store accepts a write only while it holds the current state and, for business data, is not named lagging. */
    private void accepted(SimStore s, Node n, EpochState expected, boolean business) {
        EpochState current = truth();
        if (!s.row.sameRow(current)) {
            throw violation("(c) " + s.name + " holding " + s.row + " accepts a write of " + n.name + " under " + expected
                    + " while the current state is " + current);
        }
        if (business && s.name.equals(current.lagging())) {
            throw violation("(c) " + s.name + ", named lagging by " + current + ", accepts a business write of " + n.name);
        }
        String writer = writerOfEpoch.putIfAbsent(expected.epoch(), n.name);
        if (writer != null && !writer.equals(n.name)) {
            throw violation("(a) " + n.name + " writes at epoch " + expected.epoch() + " where " + writer + " wrote");
        }
    }

    /** A business write by a node that believes it is primary: fenced, then committed in its write majority. */
    private void businessWrite(Node n) {
        EpochState belief = n.memory.state();
        if (n.memory.role() != Role.PRIMARY || belief == null) {
            return;
        }
        String refused = fenced(n, belief, false);
        int id = nextWrite++;
        if (refused != null) {
            log(n, () -> "write w" + id + " refused: " + refused);
            return;
        }
        SimStore.Tx tx = new SimStore.Tx(nextTx++, n.name, false, belief.epoch());
        List<SimStore.Branch> branches = new ArrayList<>();
        String source = belief.dataDatabases().get(0);
        for (String db : belief.writeMajority()) {
            SimStore s = stores.get(db);
            accepted(s, n, belief, true);
            branches.add(new SimStore.Branch(tx, db, null, s.dataDatabase() ? Set.of(id) : Set.of(),
                    belief.degraded() && db.equals(source) ? Set.of(id) : Set.of()));
        }
        if (commitOrTear(n, tx, branches)) {
            acknowledged.set(id);
            log(n, () -> "write w" + id + " acknowledged under " + belief);
        }
    }

    /**
     * Two-phase commit of one transaction's branches, which may be torn: the coordinator crashes during
     * the prepares (those prepared stay, the rest never will) or between two commits.
     *
     * @return whether it committed everywhere (and the client was answered)
     */
    private boolean commitOrTear(Node n, SimStore.Tx tx, List<SimStore.Branch> branches) {
        if (healed || random.nextInt(100) >= 3) {
            tx.outcome = true;
            branches.forEach(this::commit);
            return true;
        }
        torn++;
        // while preparing, at least one participant is not prepared yet; once all are, the decision is commit
        boolean duringCommit = random.nextBoolean();
        tx.outcome = duringCommit ? Boolean.TRUE : null;
        int done = random.nextInt(duringCommit ? branches.size() : branches.size() - 1);
        for (int i = 0; i < branches.size(); i++) {
            SimStore.Branch b = branches.get(i);
            if (duringCommit && i < done) {
                commit(b);
            } else if (duringCommit || i <= done) {
                store(b).prepared.put(tx.id, b);
            }
        }
        inDoubt.put(tx.id, tx);
        log(n, () -> "CRASHES " + (duringCommit ? "after " + done + " commit(s)" : "while preparing") + " of " + tx);
        crash(n);
        return false;
    }

    private SimStore store(SimStore.Branch b) {
        return stores.get(b.store());
    }

    /** One branch commits in its store; (d): a state row commits at an epoch only if no other row did. */
    private void commit(SimStore.Branch b) {
        if (b.row() != null) {
            EpochState before = rowOfEpoch.putIfAbsent(b.row().epoch(), b.row());
            if (before != null && !before.sameRow(b.row())) {
                throw violation("(d) " + b.tx() + " commits " + b.row() + " in " + b.store() + " where " + before
                        + " was committed at that epoch");
            }
        }
        store(b).commit(b);
        if (b.row() != null) {
            truth = null;
        }
    }

    /** A change of state as ClusterStateStore makes it. @return whether to read again (made, or refused as stale) */
    private boolean change(Node n, Decision.StateChange d) {
        EpochState e = d.expected();
        String kind;
        EpochState next;
        List<String> lock = d.stores();
        if (d instanceof Decision.Promote) {
            kind = "failover";
            next = e.next(n.name, e.lagging(), n.name);
        } else if (d instanceof Decision.TakeOverDegraded t) {
            kind = "failover";
            if (e.lagging() != null) {
                return stale(n, d, "already degraded");
            }
            next = e.next(n.name, t.lagging(), n.name);
        } else if (d instanceof Decision.SwitchOver s) {
            kind = s.kind();
            next = e.next(n.name, e.lagging(), n.name);
        } else if (d instanceof Decision.Degrade g) {
            kind = "degraded";
            next = e.next(e.primary(), g.lagging(), n.name);
        } else {
            Decision.Resync r = (Decision.Resync) d;
            kind = "resynced";
            // the fenced catch-up while writes go on, then the last step under the exclusive lock
            String refused = fenced(n, e, true);
            if (refused != null) {
                log(n, () -> "catch-up refused: " + refused);
                return false;
            }
            SimStore from = stores.get(r.source());
            stores.get(r.lagging()).data.or(from.journal);
            from.journal.clear();
            if (!lock.contains(r.lagging())) {
                return false;
            }
            next = e.next(e.primary(), null, n.name);
        }
        Map<String, EpochState> rows = new LinkedHashMap<>();
        for (String db : Quorum.STORES) {
            if (lock.contains(db)) {
                SimStore s = stores.get(db);
                if (!s.up || !s.lockable(true)) {
                    log(n, () -> kind + " failed: " + db + (s.up ? " locked by a prepared branch" : " down"));
                    return false;
                }
                rows.put(db, s.row);
            }
        }
        String refusal = Quorum.checkChange(rows, e, next);
        if (refusal != null) {
            return stale(n, d, refusal);
        }
        SimStore.Tx tx = new SimStore.Tx(nextTx++, n.name, true, next.epoch());
        List<SimStore.Branch> branches = new ArrayList<>();
        for (String db : rows.keySet()) {
            branches.add(new SimStore.Branch(tx, db, next, Set.of(), Set.of()));
        }
        if (commitOrTear(n, tx, branches)) {
            changes.merge(kind, 1, Integer::sum);
            log(n, () -> kind + " made: " + next);
            if (d instanceof Decision.Promote || d instanceof Decision.TakeOverDegraded) {
                n.memory = n.memory.promoted();
            }
        }
        return true;
    }

    private boolean stale(Node n, Decision.StateChange d, String why) {
        log(n, () -> "change refused: " + why);
        if (d instanceof Decision.Promote || d instanceof Decision.TakeOverDegraded) {
            n.memory = n.memory.promotionFailed(why);
        }
        // a refused degrade or resync is logged and left to the next round; takeovers and switchovers read again
        return !(d instanceof Decision.Degrade || d instanceof Decision.Resync);
    }

    /**
     * The in-doubt rule over the stores the takeover reads (InDoubtResolution's, at the level of whole
     * transactions): commit a transaction of the dead node prepared in two stores or more, or committed
     * in one; roll it back when it is prepared in one store only, committed in none, every store read
     * (its sessions are ended, so the absent participant never will prepare); else wait. With
     * {@link Options#takeoverCommitsLoneBranches}, the rule of before: a lone branch in a data database
     * whose only unread store is the other data database is committed by the takeover.
     */
    private void finishInDoubt(Decision.FinishInDoubt f) {
        List<SimStore> read = f.stores().stream().map(stores::get).filter(s -> s.up).toList();
        Set<SimStore.Tx> txs = new HashSet<>();
        read.forEach(s -> s.prepared.values().stream().filter(b -> b.tx().node.equals(f.deadNode()))
                .forEach(b -> txs.add(b.tx())));
        for (SimStore.Tx tx : txs.stream().sorted((x, y) -> Integer.compare(x.id, y.id)).toList()) {
            List<SimStore> preparedIn = read.stream().filter(s -> s.prepared.containsKey(tx.id)).toList();
            boolean committedSomewhere = read.stream().anyMatch(s -> s.markers.contains(tx.id));
            boolean lone = preparedIn.size() == 1;
            boolean takeoverCommits = options.takeoverCommitsLoneBranches() && lone
                    && read.size() == Quorum.STORES.size() - 1 && read.stream().anyMatch(s -> s.name.equals(Quorum.WITNESS))
                    && preparedIn.get(0).dataDatabase();
            boolean commit = !lone || committedSomewhere || takeoverCommits;
            boolean rollback = lone && !commit && read.size() == Quorum.STORES.size();
            if (commit || rollback) {
                log(null, () -> (commit ? "finisher commits " : "finisher rolls back ") + tx + " in "
                        + preparedIn.stream().map(s -> s.name).toList());
                for (SimStore s : preparedIn) {
                    finishBranch(s, tx, commit);
                }
            }
        }
    }

    /** COMMIT or ROLLBACK PREPARED of one branch: a transaction is never committed in one store and rolled back in another. */
    private void finishBranch(SimStore s, SimStore.Tx tx, boolean commit) {
        if (tx.outcome != null && tx.outcome != commit) {
            throw violation("(in doubt) " + tx + " " + (commit ? "committed" : "rolled back") + " in " + s.name
                    + " but " + (commit ? "rolled back" : "committed") + " elsewhere");
        }
        tx.outcome = commit;
        SimStore.Branch b = s.prepared.get(tx.id);
        if (commit) {
            if (!tx.exclusive && s.dataDatabase() && s.name.equals(truth().lagging()) && b.data().size() > 0) {
                log(null, () -> "(a late commit into " + s.name + ", named lagging after the branch prepared)");
            }
            commit(b);
        } else {
            s.prepared.remove(tx.id);
        }
    }

    // ---- faults

    private void fault(Node n) {
        SimStore s = stores.get(Quorum.STORES.get(random.nextInt(3)));
        switch (random.nextInt(10)) {
            case 0 -> {
                if (n.status != Status.CRASHED) {
                    log(n, () -> "CRASHES");
                    crash(n);
                }
            }
            case 1, 2 -> restartOrResume(n);
            case 3 -> {
                if (n.status == Status.ALIVE) {
                    n.status = Status.PAUSED;
                    log(n, () -> "PAUSES");
                }
            }
            case 4 -> {
                if (s.up) {
                    s.up = false;
                    log(null, () -> s.name + " DOWN");
                }
            }
            case 5, 6 -> {
                if (!s.up) {
                    s.up = true;
                    log(null, () -> s.name + " UP");
                }
            }
            case 7, 8 -> {
                if (s.staleReads == 0) {
                    s.staleAnswer = s.read();
                    s.staleReads = 1 + random.nextInt(4);
                    log(null, () -> s.name + " will answer " + s.staleReads + " read(s) late, with " + s.staleAnswer.state());
                }
            }
            default -> {
                boolean drain = !n.settings.drained() && random.nextInt(3) == 0;
                n.settings = settings(n.name, drain);
                log(n, () -> drain ? "DRAINED by an admin" : "not drained");
            }
        }
    }

    private void crash(Node n) {
        n.status = Status.CRASHED;
        n.pending.clear();
        n.phase = Phase.IDLE;
        n.switchoverAsked = false;
    }

    private void restartOrResume(Node n) {
        if (n.status == Status.PAUSED) {
            n.status = Status.ALIVE;
            log(n, () -> "RESUMES, with " + n.pending.size() + " decision(s) still to carry out");
        } else if (n.status == Status.CRASHED) {
            n.status = Status.ALIVE;
            n.memory = DetectorMemory.start(now);
            log(n, () -> "RESTARTS");
            recover(n);
        }
    }

    /**
     * Narayana's recovery of a restarted coordinator, wherever a branch is still prepared and readable:
     * commit what it decided to commit (or someone committed); roll back what it never decided (no log
     * record: presumed abort, Narayana's default for its own node's branches).
     */
    private void recover(Node n) {
        for (SimStore.Tx tx : inDoubt.values().stream().filter(t -> t.node.equals(n.name))
                .sorted((x, y) -> Integer.compare(x.id, y.id)).toList()) {
            for (SimStore s : stores.values()) {
                if (s.up && s.prepared.containsKey(tx.id)) {
                    boolean commit = Boolean.TRUE.equals(tx.outcome);
                    log(n, () -> "recovery " + (commit ? "commits " : "rolls back ") + tx + " in " + s.name);
                    finishBranch(s, tx, commit);
                }
            }
        }
        inDoubt.values().removeIf(tx -> stores.values().stream().noneMatch(s -> s.prepared.containsKey(tx.id)));
    }

    private void heal() {
        healed = true;
        log(null, () -> "HEAL: every node and store back, no late answer, no lost message, nobody drained");
        for (SimStore s : stores.values()) {
            s.up = true;
            s.staleReads = 0;
        }
        for (Node n : nodes.values()) {
            n.settings = settings(n.name, false);
            restartOrResume(n);
            recover(n);
        }
    }

    // ---- the properties

    /** The current state as DESIGN.md defines it, over every store whether up or not; kept until a row changes. */
    EpochState truth() {
        if (truth == null) {
            Map<String, EpochState> rows = new LinkedHashMap<>();
            stores.values().forEach(s -> rows.put(s.name, s.row));
            Quorum.View v = Quorum.current(rows, null);
            if (!(v instanceof Quorum.Current c)) {
                throw violation("(d) the stores hold two rows at one epoch: " + v);
            }
            truth = c.state();
        }
        return truth;
    }

    /** After every step: (b); (a), (c) and (d) are checked where writes and commits happen. */
    void check() {
        EpochState current = truth();
        for (String db : current.dataDatabases()) {
            SimStore s = stores.get(db);
            BitSet missing = (BitSet) acknowledged.clone();
            missing.andNot(s.data);
            if (!missing.isEmpty()) {
                s.prepared.values().stream().filter(b -> Boolean.TRUE.equals(b.tx().outcome))
                        .forEach(b -> b.data().forEach(missing::clear));
            }
            if (!missing.isEmpty()) {
                throw violation("(b) acknowledged writes " + missing + " are missing from " + db + ", which the current state "
                        + current + " does not name lagging");
            }
        }
    }

    /** (e), after the quiet steps with every fault healed. */
    private void converged() {
        EpochState current = truth();
        for (Node n : nodes.values()) {
            if (!current.sameRow(n.memory.state())) {
                throw violation("(e) " + n.name + " believes " + n.memory.state() + " while the stores hold " + current);
            }
        }
        Node primary = nodes.get(current.primary());
        if (Detector.unhealthy(primary.memory, primary.settings, now, null) != null) {
            throw violation("(e) the primary " + primary.name + " is unhealthy: "
                    + Detector.unhealthy(primary.memory, primary.settings, now, null));
        }
        if (policy == DetectorSettings.Policy.NOFAIL && current.degraded()) {
            throw violation("(e) still degraded with every store up: " + current);
        }
        for (SimStore s : stores.values()) {
            if (!s.prepared.isEmpty()) {
                throw violation("(e) " + s.name + " still holds prepared branches " + s.prepared.keySet());
            }
        }
    }

    AssertionError violation(String what) {
        return new AssertionError("step " + steps + " @" + now + "ms: " + what);
    }

    String describe() {
        StringBuilder b = new StringBuilder("policy " + policy);
        stores.values().forEach(s -> b.append("\n  ").append(s));
        nodes.values().forEach(n -> b.append("\n  ").append(n.name).append(' ').append(n.status).append(" as ")
                .append(n.memory.role()).append(" believes ").append(n.memory.state()).append(", peer ")
                .append(n.memory.peer().label()).append(", pending ").append(n.pending));
        b.append("\n  acknowledged ").append(acknowledged.cardinality());
        return b.toString();
    }
}
