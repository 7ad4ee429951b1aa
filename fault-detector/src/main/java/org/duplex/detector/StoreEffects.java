package org.duplex.detector;

import java.sql.SQLException;
import java.util.List;
import org.duplex.reservation.replication.EpochState;

/**
 * The detector's store effects carried out by the {@link ClusterStateStore} bean: each call goes
 * through the bean's container proxy, so its transaction attribute (REQUIRES_NEW for a change, a tick,
 * a catch-up batch; NOT_SUPPORTED for reads and in-doubt finishing) applies as before. An adapter rather
 * than {@code implements} on the bean, which would change the bean's client views.
 */
final class StoreEffects implements EpochStores, InDoubtBranches, EventRecorder {

    private final ClusterStateStore store;

    StoreEffects(ClusterStateStore store) {
        this.store = store;
    }

    @Override
    public StoreRead read(String db, int timeoutSeconds) throws SQLException {
        return store.read(db, timeoutSeconds);
    }

    @Override
    public EpochState changePrimary(EpochState expected, String newPrimary, String writer, List<String> stores,
                                    String kind, String detail, long lockTimeoutMs) throws SQLException, StaleEpochException {
        return store.changePrimary(expected, newPrimary, writer, stores, kind, detail, lockTimeoutMs);
    }

    @Override
    public EpochState takeOverDegraded(EpochState expected, String newPrimary, String lagging, List<String> stores,
                                       String detail, long lockTimeoutMs) throws SQLException, StaleEpochException {
        return store.takeOverDegraded(expected, newPrimary, lagging, stores, detail, lockTimeoutMs);
    }

    @Override
    public EpochState degrade(EpochState expected, String lagging, String writer, List<String> stores, String detail,
                              long lockTimeoutMs) throws SQLException, StaleEpochException {
        return store.degrade(expected, lagging, writer, stores, detail, lockTimeoutMs);
    }

    @Override
    public int endOwnWritesBlockingEpochChange(String db, String node) throws SQLException {
        return store.endOwnWritesBlockingEpochChange(db, node);
    }

    @Override
    public boolean holdsPreparedOlderThan(String db, long seconds) throws SQLException {
        return store.holdsPreparedOlderThan(db, seconds);
    }

    @Override
    public int pruneMarkers(String db, long olderThanSeconds) throws SQLException {
        return store.pruneMarkers(db, olderThanSeconds);
    }

    @Override
    public int replayBatch(EpochState expected, String node, int limit) throws SQLException, StaleEpochException {
        return store.replayBatch(expected, node, limit);
    }

    @Override
    public EpochState resync(EpochState expected, String writer, List<String> stores, long lockTimeoutMs)
            throws SQLException, StaleEpochException {
        return store.resync(expected, writer, stores, lockTimeoutMs);
    }

    @Override
    public long tick(EpochState expected, String node) throws SQLException, StaleEpochException {
        return store.tick(expected, node);
    }

    @Override
    public long journalDepth(String database) throws SQLException {
        return store.journalDepth(database);
    }

    @Override
    public void warmUp(String node) throws SQLException {
        store.warmUp(node);
    }

    @Override
    public int endSessionsOf(String database, String node) throws SQLException {
        return store.endSessionsOf(database, node);
    }

    @Override
    public List<String> preparedGids(String database) throws SQLException {
        return store.preparedGids(database);
    }


    @Override
    public boolean committed(String database, String gtrid) throws SQLException {
        return store.committed(database, gtrid);
    }

    @Override
    public void finishPrepared(String database, String gid, boolean commit) throws SQLException {
        store.finishPrepared(database, gid, commit);
    }

    @Override
    public void record(String database, String node, String kind, long epoch, String detail) throws SQLException {
        store.recordEvent(database, node, kind, epoch, detail);
    }
}
