package org.duplex.reservation.replication;

import java.util.ArrayList;
import java.util.List;

/**
 * DESIGN.md's in-doubt rule ("Rules that keep data safe", the paragraph on markers): how whoever finds a
 * prepared branch of a transaction that took the epoch lock finishes the whole transaction, with the
 * answer its coordinator gives whether that coordinator is dead, paused or alive. Pure: what the finisher
 * observed goes in, a decision comes out; the finisher carries it out and the simulation in the unit
 * tests checks it.
 *
 * <p>In: the participants from the transaction's marker, in lock order, each with what the finisher sees
 * of this transaction there ({@link Branch}) and whether it holds that store's epoch lock exclusive after
 * ending the coordinator's open sessions there; whether the transaction is a business write or a change
 * of state; and the database the current state already names lagging, if any.
 *
 * <p>Out: {@link Commit}, {@link Rollback}, {@link Wait}, or for a business write one of whose data
 * databases cannot be read, {@link CommitWithLagging}: commit only by a takeover that names that
 * database lagging, with the catch-up (or the marker repair) carrying the rows to it.
 *
 * <p>Why: a coordinator decides commit only after every participant prepared, so a participant that
 * never prepared and no longer can (its session ended, its lock held by the finisher) proves the answer
 * was or will be abort; a committed branch proves it was commit. Between the two nothing presumes abort:
 * a transaction that may have prepared everywhere may already be committed and acknowledged by a
 * coordinator that is only paused. This is Gray and Lamport's point in "Consensus on Transaction Commit"
 * (2006): the commit decision is safe to take by anyone who knows every participant prepared, and unsafe
 * to guess otherwise; and it is why the XA presumed-abort optimisation (roll back what the coordinator's
 * log does not name) is switched off for these stores.
 */
public final class InDoubtRule {

    /** What the finisher observes of the transaction in one participant store. */
    public enum Branch {
        /** a prepared transaction with this transaction's id */
        PREPARED,
        /** the transaction's marker row is there: committed */
        COMMITTED,
        /** neither prepared nor committed */
        ABSENT,
        /** the store is down, hung, or not a member (restored from a copy, not seeded yet) */
        UNREADABLE
    }

    /** What the transaction wrote. */
    public enum Kind {
        /** a business write, a catch-up batch or a liveness tick: rows in the data databases, a marker in each store */
        WRITE,
        /** a change of the cluster state row (failover, switchover, failback, degrade, resync) */
        STATE_CHANGE
    }

    /**
     * One participant as the finisher sees it.
     *
     * @param store           the epoch store
     * @param branch          the transaction's branch there
     * @param lockedExclusive the finisher holds that store's epoch lock exclusive, after ending the
     *                        coordinator's open sessions there (so no branch of it can still become prepared)
     */
    public record Participant(String store, Branch branch, boolean lockedExclusive) {
    }

    /** The rule's answer for the whole transaction. */
    public sealed interface Decision permits Commit, Rollback, Wait, CommitWithLagging {
        String reason();
    }

    /** Commit every prepared branch; a data database lacking the transaction gets the rows its marker names. */
    public record Commit(String reason) implements Decision {
    }

    /** Roll back every prepared branch: one participant provably never prepared. */
    public record Rollback(String reason) implements Decision {
    }

    /** Do nothing now; look again later (the reason says what it waits for). */
    public record Wait(String reason) implements Decision {
    }

    /** Commit, but only by a takeover that names {@code database} lagging: it cannot be read now. */
    public record CommitWithLagging(String database, String reason) implements Decision {
    }

    private InDoubtRule() {
    }

    /**
     * @param kind         a business write or a change of state
     * @param participants from the marker, in lock order, each observed by the finisher
     * @param lagging      the data database the current state names lagging, or null
     */
    public static Decision decide(Kind kind, List<Participant> participants, String lagging) {
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("a marker names at least one participant");
        }
        for (Participant p : participants) {
            if (p.branch() == Branch.COMMITTED) {
                // the coordinator committed only after every participant prepared: an absent sibling lost nothing
                return new Commit(p.store() + " committed it");
            }
        }
        for (Participant p : participants) {
            if (p.branch() == Branch.ABSENT && p.lockedExclusive()) {
                return new Rollback(p.store() + " never prepared it and no longer can (its lock is held exclusive)");
            }
        }
        List<String> unreadable = new ArrayList<>();
        for (Participant p : participants) {
            if (p.branch() == Branch.ABSENT) {
                return new Wait(p.store() + " has not prepared it and its lock is not held: the coordinator may still");
            }
            if (p.branch() == Branch.UNREADABLE) {
                unreadable.add(p.store());
            }
        }
        if (unreadable.isEmpty()) {
            return new Commit("every participant prepared");
        }
        if (kind == Kind.STATE_CHANGE) {
            return new Wait("a change of state waits for " + unreadable + " to be read");
        }
        if (unreadable.size() > 1 || !Quorum.DATA_DATABASES.contains(unreadable.get(0))) {
            return new Wait("a write waits for " + unreadable + ": only one data database can be named lagging");
        }
        String db = unreadable.get(0);
        if (db.equals(lagging)) {
            return new Commit(db + " cannot be read and is already named lagging: the catch-up carries the rows");
        }
        if (lagging != null) {
            return new Wait(db + " cannot be read but " + lagging + " is lagging: lagging never moves between databases");
        }
        return new CommitWithLagging(db, db + " cannot be read: commit by a takeover that names it lagging");
    }
}
