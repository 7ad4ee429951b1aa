package org.duplex.reservation.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The majority rules over the three epoch stores ({@code db-a}, {@code db-b}, the witness {@code db-w}),
 * as DESIGN.md states them under "Three epoch stores, majority quorums". Pure: rows in, a verdict out,
 * no I/O; the write fence, the fault detector and the simulation in the unit tests all decide with it.
 *
 * <p>Every change of state is written to every store it locked, and it locks a majority; any two
 * majorities of three share a store. Hence the highest epoch among any two stores that answer is the
 * current one, and two writers can never both find their own row in a majority at one epoch (the quorum
 * intersection argument of Gifford's weighted voting, 1979, and of Paxos).
 */
public final class Quorum {

    public static final String WITNESS = "db-w";
    /** The data databases, in lock order. */
    public static final List<String> DATA_DATABASES = List.of("db-a", "db-b");
    /** The epoch stores, in lock order: every transaction locks and enlists them in this order. */
    public static final List<String> STORES = List.of("db-a", "db-b", "db-w");
    public static final int MAJORITY = 2;

    private Quorum() {
    }

    /** What a set of store reads says about the current state. */
    public sealed interface View permits Current, NoQuorum, Divergence {
    }

    /** The current state, and the stores that hold exactly it. */
    public record Current(EpochState state, List<String> holding) implements View {
    }

    /** Fewer than a majority of the stores answered: nothing can be known, nothing may change. */
    public record NoQuorum(List<String> answered) implements View {
    }

    /** Two different rows at one epoch, or a majority showing less than already seen: an operator decides. */
    public record Divergence(String reason) implements View {
    }

    /**
     * The current state from the rows of the stores that answered.
     *
     * @param answered    store name -> its row, for the stores that answered (in any order)
     * @param highestSeen the highest state this node has seen before, or null; a majority showing less is
     *                    a divergence (a store restored from an old copy, or re-created)
     * @return {@link Current}, {@link NoQuorum} when fewer than two answered, or {@link Divergence}
     */
    public static View current(Map<String, EpochState> answered, EpochState highestSeen) {
        if (answered.size() < MAJORITY) {
            return new NoQuorum(List.copyOf(answered.keySet()));
        }
        EpochState best = null;
        for (EpochState s : answered.values()) {
            if (best == null || s.epoch() > best.epoch()) {
                best = s;
            }
        }
        for (Map.Entry<String, EpochState> a : answered.entrySet()) {
            for (Map.Entry<String, EpochState> b : answered.entrySet()) {
                if (a.getKey().compareTo(b.getKey()) < 0 && a.getValue().epoch() == b.getValue().epoch()
                        && !a.getValue().sameRow(b.getValue())) {
                    return new Divergence(a.getKey() + " holds " + a.getValue() + " but " + b.getKey() + " holds "
                            + b.getValue());
                }
            }
        }
        if (highestSeen != null) {
            if (best.epoch() < highestSeen.epoch()) {
                return new Divergence("the stores that answer show " + best + ", older than " + highestSeen
                        + " seen before: a store came back from an old copy");
            }
            if (best.epoch() == highestSeen.epoch() && !best.sameRow(highestSeen)) {
                return new Divergence("the stores show " + best + " where " + highestSeen + " was seen at that epoch");
            }
        }
        List<String> holding = new ArrayList<>();
        for (String store : STORES) {
            if (best.sameRow(answered.get(store))) {
                holding.add(store);
            }
        }
        return new Current(best, List.copyOf(holding));
    }

    /** Why a write may not go on, or null when it may. */
    public sealed interface WriteVerdict permits Allowed, NotPrimary, ModeChanged, Diverged {
    }

    /** The write may commit under this state. */
    public record Allowed(EpochState state) implements WriteVerdict {
    }

    /** The stores name another primary: this node was demoted (fenced). */
    public record NotPrimary(EpochState state) implements WriteVerdict {
    }

    /** The state changed since the caller chose its stores: learn it and resend. */
    public record ModeChanged(EpochState state) implements WriteVerdict {
    }

    /** The stores locked hold different rows. */
    public record Diverged(String reason) implements WriteVerdict {
    }

    /**
     * The write fence's decision: a write holds the epoch lock shared in the stores it chose and read
     * their rows after the lock. It may commit only if every one holds the same row, that row names
     * {@code node} primary, and its write majority is exactly the stores read. Then no change of state
     * can commit before this write does (it would need one of those locks exclusive) and none has
     * committed since (it would have rewritten one of those rows).
     *
     * @param node   this node
     * @param locked store -> row read under the shared lock, for exactly the stores the write chose
     */
    public static WriteVerdict checkWrite(String node, Map<String, EpochState> locked) {
        EpochState first = null;
        for (String store : STORES) {
            EpochState s = locked.get(store);
            if (s == null) {
                continue;
            }
            if (first == null) {
                first = s;
            } else if (!first.sameRow(s)) {
                EpochState newer = s.epoch() > first.epoch() ? s : first;
                // a store behind the other is not a divergence: a change moved on without it
                return s.epoch() == first.epoch() ? new Diverged("the stores locked disagree: " + locked)
                        : newer.primary().equals(node) ? new ModeChanged(newer) : new NotPrimary(newer);
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("a write reads at least one store");
        }
        if (!first.primary().equals(node)) {
            return new NotPrimary(first);
        }
        if (!first.writeMajority().equals(sorted(locked))) {
            return new ModeChanged(first);
        }
        return new Allowed(first);
    }

    /**
     * Whether a change of state may be written: the caller holds the epoch lock exclusive in the stores
     * {@code locked} names and read their rows after the lock. It may write {@code next} to every one
     * of them only if they are a majority, their current state is still {@code expected} (the
     * precondition its decision was based on), the rows it writes name the next epoch, it does not move
     * {@code lagging} from one database to the other, and it locked the new state's write majority (the
     * new primary must be able to write in the mode the state will have).
     *
     * @return null when it may, otherwise why not
     */
    public static String checkChange(Map<String, EpochState> locked, EpochState expected, EpochState next) {
        if (locked.size() < MAJORITY) {
            return "only " + locked.keySet() + " could be locked: not a majority of " + STORES;
        }
        View view = current(locked, null);
        if (!(view instanceof Current current)) {
            return view instanceof Divergence d ? d.reason() : "no quorum";
        }
        if (!current.state().sameRow(expected)) {
            return "the state is now " + current.state() + ", not " + expected;
        }
        if (next.epoch() != expected.epoch() + 1) {
            return "the next state must be epoch " + (expected.epoch() + 1);
        }
        if (expected.lagging() != null && next.lagging() != null && !expected.lagging().equals(next.lagging())) {
            return "lagging may not move from " + expected.lagging() + " to " + next.lagging();
        }
        if (!locked.keySet().containsAll(next.writeMajority())) {
            return "the new state's write majority " + next.writeMajority() + " is not all locked (" + locked.keySet() + ")";
        }
        return null;
    }

    private static List<String> sorted(Map<String, EpochState> locked) {
        return STORES.stream().filter(locked::containsKey).toList();
    }
}
