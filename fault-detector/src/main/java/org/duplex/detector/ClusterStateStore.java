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
             ResultSet rs = s.executeQuery("select epoch, primary_node, mode, lagging from cluster_state where id = 1")) {
            if (!rs.next()) {
                throw new SQLException("cluster_state has no row in " + database);
            }
            return new ClusterState(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4));
        }
    }

    /** Whether a database answers at all. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public boolean reachable(String database) {
        try (Connection c = dataSource(database).getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            s.execute("select 1");
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Makes {@code newPrimary} the primary at the next epoch, provided the databases that are not
     * lagging still hold {@code expected}; the mode stays as it is. Waits at most
     * {@code lockTimeoutMs} for writes in flight (they hold the epoch lock shared until they commit),
     * so a planned switchover drains them, and a lock held by a transaction left prepared by a dead
     * node surfaces as an {@link SQLException} instead of a hang.
     *
     * @return the new epoch
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long changePrimary(ClusterState expected, String newPrimary, String kind, String detail, long lockTimeoutMs)
            throws SQLException, StaleEpochException {
        return change(expected, new ClusterState(expected.epoch() + 1, newPrimary, expected.mode(), expected.lagging()),
                expected.writable(), kind, detail, lockTimeoutMs);
    }

    /**
     * Degraded mode: {@code lagging} is down; the primary goes on writing to the other database alone,
     * journaling each change there. Only the database that stays up is changed (the other one is down);
     * its epoch moves on, so the lagging one, when it returns, holds an older epoch and cannot be
     * written as if nothing had happened.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long degrade(ClusterState expected, String lagging, String detail, long lockTimeoutMs)
            throws SQLException, StaleEpochException {
        ClusterState next = new ClusterState(expected.epoch() + 1, expected.primary(), "degraded", lagging);
        return change(expected, next, next.writable(), "degraded", detail, lockTimeoutMs);
    }

    private long change(ClusterState expected, ClusterState next, List<String> databases, String kind, String detail,
                        long lockTimeoutMs) throws SQLException, StaleEpochException {
        Timestamp now = Timestamp.from(Instant.now());
        String eventId = UUID.randomUUID().toString();
        for (String db : databases) {
            try (Connection c = dataSource(db).getConnection()) {
                lockEpochExclusive(c, lockTimeoutMs);
                try (PreparedStatement u = c.prepareStatement("update cluster_state set epoch = ?, primary_node = ?,"
                        + " mode = ?, lagging = ?, changed_at = ? where id = 1 and epoch = ? and primary_node = ?")) {
                    u.setLong(1, next.epoch());
                    u.setString(2, next.primary());
                    u.setString(3, next.mode());
                    u.setString(4, next.lagging());
                    u.setTimestamp(5, now);
                    u.setLong(6, expected.epoch());
                    u.setString(7, expected.primary());
                    if (u.executeUpdate() != 1) {
                        throw new StaleEpochException(db + " no longer holds epoch " + expected.epoch() + " with primary "
                                + expected.primary());
                    }
                }
                insertEvent(c, eventId, now, next.primary(), kind, next.epoch(), detail);
            }
        }
        return next.epoch();
    }

    private static void lockEpochExclusive(Connection c, long lockTimeoutMs) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("set local lock_timeout = " + Math.max(1, lockTimeoutMs));
            // exclusive: waits for the writes in flight, and writes that come later queue behind it
            s.execute("select pg_advisory_xact_lock(" + Replicas.EPOCH_LOCK + ")");
        }
    }

    /** How many changes wait in a database's journal for the lagging one. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public long journalDepth(String database) throws SQLException {
        try (Connection c = dataSource(database).getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from replication_journal")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Replays up to {@code limit} journal entries, oldest first, from {@code source} into {@code target}
     * (one local transaction there), then deletes them from the journal. Entries are after-images
     * applied as upserts, so replaying one twice (a crash between the two steps) does no harm.
     *
     * @return how many entries were replayed
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int replayBatch(String source, String target, int limit, long lockTimeoutMs) throws SQLException {
        try (Connection from = dataSource(source).getConnection();
             Connection to = dataSource(target).getConnection()) {
            List<JournalEntry> batch = readJournal(from, limit);
            if (batch.isEmpty()) {
                return 0;
            }
            to.setAutoCommit(false);
            try {
                try (Statement s = to.createStatement()) {
                    s.execute("set local lock_timeout = " + Math.max(1, lockTimeoutMs));
                }
                apply(to, batch);
                to.commit();
            } catch (SQLException e) {
                to.rollback();
                throw e;
            } finally {
                to.setAutoCommit(true);
            }
            deleteJournal(from, batch);
            return batch.size();
        }
    }

    /**
     * The end of a catch-up: with the epoch lock held exclusive in both databases (writes wait), replays
     * what is left of the journal and puts both databases back in sync mode at the next epoch, in one
     * XA transaction. From then on writes go to both again.
     *
     * @return the new epoch
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long resync(ClusterState expected, long lockTimeoutMs) throws SQLException, StaleEpochException {
        String source = expected.writable().get(0);
        String target = expected.lagging();
        Timestamp now = Timestamp.from(Instant.now());
        String eventId = UUID.randomUUID().toString();
        try (Connection from = dataSource(source).getConnection(); Connection to = dataSource(target).getConnection()) {
            lockEpochExclusive(from, lockTimeoutMs);
            lockEpochExclusive(to, lockTimeoutMs);
            List<JournalEntry> rest = readJournal(from, Integer.MAX_VALUE);
            apply(to, rest);
            deleteJournal(from, rest);
            long next = expected.epoch() + 1;
            try (PreparedStatement u = from.prepareStatement("update cluster_state set epoch = ?, mode = 'sync',"
                    + " lagging = null, changed_at = ? where id = 1 and epoch = ? and primary_node = ? and mode = 'degraded'")) {
                u.setLong(1, next);
                u.setTimestamp(2, now);
                u.setLong(3, expected.epoch());
                u.setString(4, expected.primary());
                if (u.executeUpdate() != 1) {
                    throw new StaleEpochException(source + " no longer holds degraded epoch " + expected.epoch());
                }
            }
            // the lagging copy of the row is stale by definition: it is overwritten, not compared
            try (PreparedStatement u = to.prepareStatement("update cluster_state set epoch = ?, primary_node = ?,"
                    + " mode = 'sync', lagging = null, changed_at = ? where id = 1")) {
                u.setLong(1, next);
                u.setString(2, expected.primary());
                u.setTimestamp(3, now);
                u.executeUpdate();
            }
            String detail = target + " caught up (" + rest.size() + " last journal entries applied under the lock)";
            insertEvent(from, eventId, now, expected.primary(), "resynced", next, detail);
            insertEvent(to, eventId, now, expected.primary(), "resynced", next, detail);
            return next;
        }
    }

    private record JournalEntry(long seq, String table, String data) {
    }

    private static List<JournalEntry> readJournal(Connection c, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select seq, tbl, row_data::text from replication_journal order by seq limit ?")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
                List<JournalEntry> entries = new ArrayList<>();
                while (rs.next()) {
                    entries.add(new JournalEntry(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
                return entries;
            }
        }
    }

    private static final String UPSERT_RESOURCE = "insert into resource (id, name, capacity, reserved, version)"
            + " select id, name, capacity, reserved, version from jsonb_populate_record(null::resource, ?::jsonb)"
            + " on conflict (id) do update set name = excluded.name, capacity = excluded.capacity,"
            + " reserved = excluded.reserved, version = excluded.version";
    private static final String UPSERT_RESERVATION = "insert into reservation (id, client_id, operation_id, resource_id,"
            + " quantity, status, created_at, epoch, node, cancel_operation_id, cancelled_at)"
            + " select id, client_id, operation_id, resource_id, quantity, status, created_at, epoch, node,"
            + " cancel_operation_id, cancelled_at from jsonb_populate_record(null::reservation, ?::jsonb)"
            + " on conflict (id) do update set status = excluded.status, cancel_operation_id = excluded.cancel_operation_id,"
            + " cancelled_at = excluded.cancelled_at";

    private static void apply(Connection to, List<JournalEntry> entries) throws SQLException {
        try (PreparedStatement resource = to.prepareStatement(UPSERT_RESOURCE);
             PreparedStatement reservation = to.prepareStatement(UPSERT_RESERVATION)) {
            for (JournalEntry e : entries) {
                PreparedStatement s = switch (e.table()) {
                    case "resource" -> resource;
                    case "reservation" -> reservation;
                    default -> throw new SQLException("journal entry " + e.seq() + " names unknown table " + e.table());
                };
                s.setString(1, e.data());
                s.executeUpdate();
            }
        }
    }

    private static void deleteJournal(Connection c, List<JournalEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement d = c.prepareStatement("delete from replication_journal where seq = any (?)")) {
            d.setArray(1, c.createArrayOf("bigint", entries.stream().map(JournalEntry::seq).toArray()));
            d.executeUpdate();
        }
    }

    /**
     * One XA transaction that writes (and removes) a scratch row in both databases, so that the first
     * real change of primary does not also pay for this JVM's first two-phase commit (class loading,
     * the first transaction log write) while it holds the epoch lock and every write waits.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void warmUp(String node) throws SQLException {
        String scratch = "warm-up-" + node + "-" + UUID.randomUUID();
        for (String db : DATABASES) {
            try (Connection c = dataSource(db).getConnection();
                 PreparedStatement insert = c.prepareStatement("insert into xa_marker (gtrid, written_at) values (?, now())");
                 PreparedStatement delete = c.prepareStatement("delete from xa_marker where gtrid = ?")) {
                insert.setString(1, scratch);
                insert.executeUpdate();
                delete.setString(1, scratch);
                delete.executeUpdate();
            }
        }
    }

    /** Records an event in one database, outside any transaction (a node down, a node fenced). */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void recordEvent(String database, String node, String kind, long epoch, String detail) throws SQLException {
        try (Connection c = dataSource(database).getConnection()) {
            insertEvent(c, UUID.randomUUID().toString(), Timestamp.from(Instant.now()), node, kind, epoch, detail);
        }
    }

    /**
     * One database's events, newest first, at most {@code limit}; with {@code since}, only those
     * recorded at or after it.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<ClusterEvent> events(String database, Instant since, int limit) throws SQLException {
        try (Connection c = dataSource(database).getConnection();
             PreparedStatement s = c.prepareStatement("select id, at, node, kind, epoch, detail from cluster_event"
                     + " where at >= coalesce(?::timestamptz, '-infinity') order by at desc, id limit ?")) {
            s.setQueryTimeout(2);
            s.setTimestamp(1, since == null ? null : Timestamp.from(since));
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                List<ClusterEvent> events = new ArrayList<>();
                while (rs.next()) {
                    events.add(new ClusterEvent(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getLong(5), rs.getString(6)));
                }
                return events;
            }
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

    /**
     * The gids of Duplex's own prepared transactions in one database: those holding the epoch lock, which
     * every Duplex write and every epoch change takes in each database it writes. Another application's
     * XA branches on the same database (a prepared transaction without that lock) are left to their own
     * transaction manager's recovery: the marker rule of {@link InDoubtResolution} knows nothing of them,
     * and rolling one back whose partner committed elsewhere would split that application's data (seen
     * with the benchmark's stock bean before this filter).
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<String> preparedGids(String database) throws SQLException {
        try (Connection c = dataSource(database).getConnection();
             PreparedStatement s = c.prepareStatement("select p.gid from pg_prepared_xacts p"
                     + " where p.database = current_database() and exists (select 1 from pg_locks t"
                     + " join pg_locks a on a.virtualtransaction = t.virtualtransaction"
                     + " where t.locktype = 'transactionid' and t.transactionid = p.transaction and t.pid is null"
                     + " and a.locktype = 'advisory' and a.objsubid = 1"
                     + " and ((a.classid::bigint << 32) | a.objid::bigint) = ?)")) {
            s.setLong(1, Replicas.EPOCH_LOCK);
            try (ResultSet rs = s.executeQuery()) {
                List<String> gids = new ArrayList<>();
                while (rs.next()) {
                    gids.add(rs.getString(1));
                }
                return gids;
            }
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
