package org.duplex.detector;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.duplex.reservation.replication.Replicas;

/**
 * The detector's access to {@code cluster_state} and {@code cluster_event} in both databases, over
 * the same XA datasources the reservation service writes through.
 *
 * <p>A change of primary is one JTA transaction over both databases that compares and sets the epoch
 * in each: it commits in both or in neither, and it can only succeed when both databases are
 * reachable. That last point is what keeps a partition in which each node reaches only its own
 * database from producing two primaries.
 */
@Stateless
public class ClusterStateStore {

    public static final List<String> DATABASES = List.of("db-a", "db-b");

    @Resource(lookup = "java:jboss/datasources/duplex-db-a")
    private DataSource dbA;

    @Resource(lookup = "java:jboss/datasources/duplex-db-b")
    private DataSource dbB;

    DataSource dataSource(String database) {
        return switch (database) {
            case "db-a" -> dbA;
            case "db-b" -> dbB;
            default -> throw new IllegalArgumentException("unknown database " + database);
        };
    }

    /** The cluster state one database holds, read outside any transaction. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public ClusterState read(String database) throws SQLException {
        try (Connection c = dataSource(database).getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select epoch, primary_node from cluster_state where id = 1")) {
            if (!rs.next()) {
                throw new SQLException("cluster_state has no row in " + database);
            }
            return new ClusterState(rs.getLong(1), rs.getString(2));
        }
    }

    /**
     * Makes {@code newPrimary} the primary at the next epoch, provided both databases still hold
     * {@code expected}. Waits at most {@code lockTimeoutMs} for writes in flight (they hold the epoch
     * lock shared until they commit), so a planned switchover drains them, and a lock held by a
     * transaction left prepared by a dead node surfaces as an {@link SQLException} instead of a hang.
     *
     * @return the new epoch
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long changePrimary(ClusterState expected, String newPrimary, String kind, String detail, long lockTimeoutMs)
            throws SQLException, StaleEpochException {
        long next = expected.epoch() + 1;
        Timestamp now = Timestamp.from(Instant.now());
        String eventId = UUID.randomUUID().toString();
        for (String db : DATABASES) {
            try (Connection c = dataSource(db).getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("set local lock_timeout = " + Math.max(1, lockTimeoutMs));
                    // exclusive: waits for the writes in flight, and writes that come later queue behind it
                    s.execute("select pg_advisory_xact_lock(" + Replicas.EPOCH_LOCK + ")");
                }
                try (PreparedStatement u = c.prepareStatement("update cluster_state set epoch = ?, primary_node = ?,"
                        + " changed_at = ? where id = 1 and epoch = ? and primary_node = ?")) {
                    u.setLong(1, next);
                    u.setString(2, newPrimary);
                    u.setTimestamp(3, now);
                    u.setLong(4, expected.epoch());
                    u.setString(5, expected.primary());
                    if (u.executeUpdate() != 1) {
                        throw new StaleEpochException(db + " no longer holds epoch " + expected.epoch() + " with primary "
                                + expected.primary());
                    }
                }
                insertEvent(c, eventId, now, newPrimary, kind, next, detail);
            }
        }
        return next;
    }

    /** Records an event in one database, outside any transaction (a node down, a node fenced). */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void recordEvent(String database, String node, String kind, long epoch, String detail) throws SQLException {
        try (Connection c = dataSource(database).getConnection()) {
            insertEvent(c, UUID.randomUUID().toString(), Timestamp.from(Instant.now()), node, kind, epoch, detail);
        }
    }

    /**
     * Fencing at the database: ends every session a node holds in one database, so its open
     * transactions roll back and release their locks. Prepared transactions are not sessions and stay.
     *
     * @return how many sessions were ended
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int endSessionsOf(String database, String node) throws SQLException {
        try (Connection c = dataSource(database).getConnection();
             PreparedStatement s = c.prepareStatement("select count(*) filter (where pg_terminate_backend(pid))"
                     + " from pg_stat_activity where application_name = ? and datname = current_database()"
                     + " and pid <> pg_backend_pid()")) {
            s.setString(1, node);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The gids of the prepared transactions in one database. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<String> preparedGids(String database) throws SQLException {
        try (Connection c = dataSource(database).getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select gid from pg_prepared_xacts where database = current_database()")) {
            List<String> gids = new ArrayList<>();
            while (rs.next()) {
                gids.add(rs.getString(1));
            }
            return gids;
        }
    }

    /** Whether a transaction with this global id committed in the database (its marker row is there). */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public boolean committed(String database, String gtrid) throws SQLException {
        try (Connection c = dataSource(database).getConnection();
             PreparedStatement s = c.prepareStatement("select 1 from xa_marker where gtrid = ?")) {
            s.setString(1, gtrid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Finishes one prepared branch: {@code COMMIT PREPARED} or {@code ROLLBACK PREPARED}. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void finishPrepared(String database, String gid, boolean commit) throws SQLException {
        try (Connection c = dataSource(database).getConnection(); Statement s = c.createStatement()) {
            s.execute((commit ? "commit prepared '" : "rollback prepared '") + gid.replace("'", "''") + "'");
        }
    }

    /** Deletes transaction markers older than the given age; they only matter while a branch may be in doubt. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int pruneMarkers(String database, long olderThanSeconds) throws SQLException {
        try (Connection c = dataSource(database).getConnection();
             PreparedStatement s = c.prepareStatement(
                     "delete from xa_marker where written_at < now() - make_interval(secs => ?)")) {
            s.setLong(1, olderThanSeconds);
            return s.executeUpdate();
        }
    }

    private static void insertEvent(Connection c, String id, Timestamp at, String node, String kind, long epoch,
                                    String detail) throws SQLException {
        try (PreparedStatement e = c.prepareStatement(
                "insert into cluster_event (id, at, node, kind, epoch, detail) values (?, ?, ?, ?, ?, ?)")) {
            e.setString(1, id);
            e.setTimestamp(2, at);
            e.setString(3, node);
            e.setString(4, kind);
            e.setLong(5, epoch);
            e.setString(6, detail.length() > 500 ? detail.substring(0, 500) : detail);
            e.executeUpdate();
        }
    }
}
