package org.duplex.detector;

import java.sql.SQLException;
import java.util.List;
import org.duplex.reservation.replication.EpochState;

/**
 * The detector's effects on the three epoch stores: reads, changes of state and its own fenced writes
 * (liveness tick, catch-up). Implemented over the XA datasources by {@link ClusterStateStore}, whose
 * javadoc states the transactions; every change is one XA transaction that the stores re-check under the
 * exclusive epoch lock ({@code Quorum.checkChange}), so a caller's stale belief can never write.
 *
 * <p>Every method may throw {@link SQLException} (a store failed or timed out: nothing was written) and
 * the changing ones {@link StaleEpochException} (the stores no longer hold {@code expected}, or not a
 * majority could be locked: nothing was written).
 */
interface EpochStores {

    /** One store's row and tick, outside any transaction, within {@code timeoutSeconds} per statement. */
    StoreRead read(String store, int timeoutSeconds) throws SQLException;

    /** {@code newPrimary} becomes primary at the next epoch, the mode unchanged; returns the new state. */
    EpochState changePrimary(EpochState expected, String newPrimary, String writer, List<String> stores, String kind,
                             String detail, long lockTimeoutMs) throws SQLException, StaleEpochException;

    /** From sync mode, {@code newPrimary} becomes primary naming {@code lagging} lagging. */
    EpochState takeOverDegraded(EpochState expected, String newPrimary, String lagging, List<String> stores,
                                String detail, long lockTimeoutMs) throws SQLException, StaleEpochException;

    /** The primary of {@code expected} names {@code lagging} lagging and writes on with the other and the witness. */
    EpochState degrade(EpochState expected, String lagging, String writer, List<String> stores, String detail,
                       long lockTimeoutMs) throws SQLException, StaleEpochException;

    /**
     * While an exclusive request for the epoch lock waits in {@code store}, ends this node's own write
     * sessions that hold it shared there (never a prepared branch); returns how many.
     */
    int endOwnWritesBlockingEpochChange(String store, String node) throws SQLException;

    /** Whether {@code store} holds a transaction prepared more than {@code seconds} ago. */
    boolean holdsPreparedOlderThan(String store, long seconds) throws SQLException;

    /** Deletes (a batch of) the markers written more than {@code olderThanSeconds} ago in {@code store}; returns how many. */
    int pruneMarkers(String store, long olderThanSeconds) throws SQLException;

    /** Replays up to {@code limit} journal entries into the lagging database, fenced like a write; returns how many. */
    int replayBatch(EpochState expected, String node, int limit) throws SQLException, StaleEpochException;

    /** Replays the rest of the journal under the exclusive lock and goes back to sync mode; returns the new state. */
    EpochState resync(EpochState expected, String writer, List<String> stores, long lockTimeoutMs)
            throws SQLException, StaleEpochException;

    /** The primary's liveness tick in the write majority of {@code expected}, fenced; returns the new tick. */
    long tick(EpochState expected, String node) throws SQLException, StaleEpochException;

    /** Entries waiting in a data database's journal for the lagging one. */
    long journalDepth(String database) throws SQLException;

    /** This JVM's first XA commit, a scratch row in every store, so that a takeover does not pay for it. */
    void warmUp(String node) throws SQLException;
}
