package org.duplex.reservation.replication;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The cluster state row ({@code cluster_state}) as one epoch store holds it: the epoch, the node it
 * names primary, the data database that is behind ({@code lagging}, null in sync mode) and the node
 * that wrote the row. The current state is the highest-epoch row of a majority of the three stores
 * (see {@link Quorum}).
 *
 * <p>Only the current state's {@code lagging} says which data database is behind; a store's own old
 * row never does. A data database not named lagging holds every acknowledged write.
 *
 * @param epoch     the epoch, from 1, only ever growing
 * @param primary   the node in charge at this epoch
 * @param lagging   {@code db-a} or {@code db-b} when degraded, null in sync mode
 * @param writtenBy the node (or {@code setup}) that wrote this row
 */
public record EpochState(long epoch, String primary, String lagging, String writtenBy) implements Serializable {

    public static final String SYNC = "sync";
    public static final String DEGRADED = "degraded";

    public EpochState {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be at least 1, got " + epoch);
        }
        Objects.requireNonNull(primary, "primary");
        if (lagging != null && !Quorum.DATA_DATABASES.contains(lagging)) {
            throw new IllegalArgumentException("only a data database can lag, not " + lagging);
        }
    }

    /** {@code sync} or {@code degraded}, as the {@code mode} column holds it. */
    public String mode() {
        return lagging == null ? SYNC : DEGRADED;
    }

    public boolean degraded() {
        return lagging != null;
    }

    /**
     * The data databases business data is read from and written to: both in sync mode, the one that is
     * not lagging when degraded.
     */
    public List<String> dataDatabases() {
        return Quorum.DATA_DATABASES.stream().filter(db -> !db.equals(lagging)).toList();
    }

    /**
     * The stores every write of this state holds the epoch lock in and finds this row in: {@code db-a}
     * + {@code db-b} in sync mode, the surviving data database + the witness when degraded. Always a
     * majority of the three, in lock order, so a degraded write is still a two-phase commit.
     */
    public List<String> writeMajority() {
        return lagging == null ? Quorum.DATA_DATABASES : List.of(dataDatabases().get(0), Quorum.WITNESS);
    }

    /** The next state: epoch + 1, with this primary and lagging database, written by {@code writer}. */
    public EpochState next(String newPrimary, String newLagging, String writer) {
        return new EpochState(epoch + 1, newPrimary, newLagging, writer);
    }

    /** Same epoch, primary, lagging and writer: the same row. */
    public boolean sameRow(EpochState other) {
        return other != null && equals(other);
    }

    @Override
    public String toString() {
        return "epoch " + epoch + " primary " + primary + " " + mode() + (lagging == null ? "" : " (" + lagging
                + " lagging)") + " by " + writtenBy;
    }
}
