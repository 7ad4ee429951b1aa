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
import jakarta.ejb.SessionContext;
import jakarta.transaction.TransactionManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.duplex.reservation.replication.EpochState;
import org.duplex.reservation.replication.GlobalTransaction;
import org.duplex.reservation.replication.Quorum;
import org.duplex.reservation.replication.Replicas;

/**
 * The detector's access to the three epoch stores ({@code db-a}, {@code db-b}, the witness {@code db-w})
 * and to {@code cluster_event} in the data databases, over the same XA datasources the reservation
 * service writes through.
 *
 * <p>A change of state (failover, switchover, failback, degrade, resync) is one JTA transaction: it takes
 * the epoch lock exclusive in every store it is given, in lock order, re-reads the rows there, lets
 * {@link Quorum#checkChange} decide (a majority, the precondition unchanged, lagging never moved from
 * one database to the other, the new write majority locked) and writes the next epoch to every store
 * it locked. Any failure rolls the whole transaction back (a checked exception out of a
 * container-managed transaction would otherwise commit what was done: issue 10, case 4), so the stores
 * never disagree after a failed change.
 */
@Stateless
public class ClusterStateStore {

    /** The data databases: events, journal and business rows live there, never in the witness. */
    public static final List<String> DATABASES = Quorum.DATA_DATABASES;

    @Resource(lookup = "java:jboss/datasources/duplex-db-a")
    private DataSource dbA;

    @Resource(lookup = "java:jboss/datasources/duplex-db-b")
    private DataSource dbB;

    @Resource(lookup = "java:jboss/datasources/duplex-db-w")
    private DataSource dbW;

    @Resource(lookup = "java:jboss/TransactionManager")
    private TransactionManager tm;

    @Resource
    private SessionContext context;

    DataSource dataSource(String store) {
        return switch (store) {
            case "db-a" -> dbA;
            case "db-b" -> dbB;
            case "db-w" -> dbW;
            default -> throw new IllegalArgumentException("unknown epoch store " + store);
        };
    }

    /**
     * The state row and liveness tick one store holds, read outside any transaction, within
     * {@code timeoutSeconds} per statement (the datasource's connect, login and socket timeouts bound the rest).
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public StoreRead read(String store, int timeoutSeconds) throws SQLException {
        try (Connection c = dataSource(store).getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = s.executeQuery("select c.epoch, c.primary_node, c.lagging, c.written_by, l.epoch, l.node,"
                    + " l.tick from cluster_state c cross join liveness l where c.id = 1 and l.id = 1")) {
                if (!rs.next()) {
                    throw new SQLException("cluster_state or liveness has no row in " + store);
                }
                return new StoreRead(new EpochState(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                        rs.getLong(5), rs.getString(6), rs.getLong(7));
            }
        }
    }

    /** Whether a data database answers at all, within 2 s. */
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
     * Makes {@code newPrimary} the primary at the next epoch, the mode unchanged, provided the stores
     * still hold {@code expected}.
     *
     * @param stores        the stores to lock, those that answered the caller's last read
     * @param lockTimeoutMs how long to wait for writes in flight (they hold the lock shared) in each store
     * @return the new state
     * @throws StaleEpochException the stores no longer hold {@code expected}, or not a majority could be
     *                             locked; nothing was written
     * @throws SQLException        a store failed during the change; nothing was written
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public EpochState changePrimary(EpochState expected, String newPrimary, String writer, List<String> stores,
                                    String kind, String detail, long lockTimeoutMs) throws SQLException, StaleEpochException {
        return change(expected, expected.next(newPrimary, expected.lagging(), writer), stores, kind, detail, lockTimeoutMs);
    }

    /**
     * A failover that also degrades: from sync mode, {@code newPrimary} takes over writing to the data
     * database it reaches and the witness, naming the other one {@code lagging} (a primary cut off from
     * its majority is replaced by a node that has one). Lagging goes from none to one database only.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public EpochState takeOverDegraded(EpochState expected, String newPrimary, String lagging, List<String> stores,
                                       String detail, long lockTimeoutMs) throws SQLException, StaleEpochException {
        if (expected.lagging() != null) {
            throw new StaleEpochException("already degraded with " + expected.lagging() + " lagging");
        }
        return change(expected, expected.next(newPrimary, lagging, newPrimary), stores, "failover", detail, lockTimeoutMs);
    }

    /**
     * Degraded mode: {@code lagging} is down or hung; the primary goes on writing to the other data
     * database and the witness, journaling each change there. Needs the survivor and the witness locked.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public EpochState degrade(EpochState expected, String lagging, String writer, List<String> stores, String detail,
                              long lockTimeoutMs) throws SQLException, StaleEpochException {
        return change(expected, expected.next(expected.primary(), lagging, writer), stores, "degraded", detail,
                lockTimeoutMs);
    }

    private EpochState change(EpochState expected, EpochState next, List<String> stores, String kind, String detail,
                              long lockTimeoutMs) throws SQLException, StaleEpochException {
        try {
            Map<String, Connection> locked = lockExclusive(stores, lockTimeoutMs);
            try {
                writeState(locked, expected, next);
                String eventId = UUID.randomUUID().toString();
                Timestamp now = Timestamp.from(Instant.now());
                for (Map.Entry<String, Connection> e : locked.entrySet()) {
                    if (!e.getKey().equals(Quorum.WITNESS)) {
                        insertEvent(e.getValue(), eventId, now, next.primary(), kind, next.epoch(), detail);
                    }
                }
                return next;
            } finally {
                closeAll(locked);
            }
        } catch (SQLException | StaleEpochException | RuntimeException e) {
            context.setRollbackOnly();
            throw e;
        }
    }

    /**
     * Takes the epoch lock exclusive in each store, in lock order, within {@code lockTimeoutMs} each,
     * inside the caller's transaction. The connections stay open (and enlisted) until the caller closes them.
     */
    private Map<String, Connection> lockExclusive(List<String> stores, long lockTimeoutMs) throws SQLException {
        Map<String, Connection> locked = new LinkedHashMap<>();
        try {
            for (String store : Quorum.STORES) {
                if (stores.contains(store)) {
                    Connection c = dataSource(store).getConnection();
                    locked.put(store, c);
                    lockEpochExclusive(c, lockTimeoutMs);
                }
            }
            return locked;
        } catch (SQLException | RuntimeException e) {
            closeAll(locked);
            throw e;
        }
    }

    private static void closeAll(Map<String, Connection> connections) {
        for (Connection c : connections.values()) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the handle only; the transaction's outcome decides what the branch keeps
            }
        }
    }

    /** Re-reads the rows under the lock, lets {@link Quorum#checkChange} decide, and writes {@code next} to every store locked. */
    private void writeState(Map<String, Connection> locked, EpochState expected, EpochState next)
            throws SQLException, StaleEpochException {
        Map<String, EpochState> rows = new LinkedHashMap<>();
        for (Map.Entry<String, Connection> e : locked.entrySet()) {
            rows.put(e.getKey(), readState(e.getValue(), e.getKey()));
        }
        String refusal = Quorum.checkChange(rows, expected, next);
        if (refusal != null) {
            throw new StaleEpochException(refusal);
        }
        String gtrid = GlobalTransaction.currentGtrid(tm);
        String participants = String.join(",", locked.keySet());
        Timestamp now = Timestamp.from(Instant.now());
        for (Connection c : locked.values()) {
            try (PreparedStatement u = c.prepareStatement("update cluster_state set epoch = ?, primary_node = ?,"
                    + " mode = ?, lagging = ?, written_by = ?, changed_at = ? where id = 1")) {
                u.setLong(1, next.epoch());
                u.setString(2, next.primary());
                u.setString(3, next.mode());
                u.setString(4, next.lagging());
                u.setString(5, next.writtenBy());
                u.setTimestamp(6, now);
                u.executeUpdate();
            }
            try (PreparedStatement m = c.prepareStatement("insert into xa_marker (gtrid, written_at, participants,"
                    + " changed_rows) values (?, now(), ?, 'cluster_state:1')")) {
                m.setString(1, gtrid);
                m.setString(2, participants);
                m.executeUpdate();
            }
        }
    }

    private static EpochState readState(Connection c, String store) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select epoch, primary_node, lagging, written_by from cluster_state where id = 1")) {
            if (!rs.next()) {
                throw new SQLException("cluster_state has no row in " + store);
            }
            return new EpochState(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4));
        }
    }

    private static void lockEpochExclusive(Connection c, long lockTimeoutMs) throws SQLException {
        // the datasource's socket deadline (2 s) would cut a longer lock wait short, as a read time-out that
        // breaks the connection: while a database hangs, the writes in flight hold the lock shared until
        // their own deadlines end, so a degrade failed round after round (SafetyIT, a hung db-b). The
        // deadline is widened for the wait only (JDBC 4.1 Connection.setNetworkTimeout).
        int socketMs = widenNetworkTimeout(c, (int) Math.max(1, lockTimeoutMs) + 2000);
        try (Statement s = c.createStatement()) {
            s.execute("set local lock_timeout = " + Math.max(1, lockTimeoutMs));
            // the session's own statement deadline (2.5 s) would otherwise cut a longer lock wait short
            s.execute("set local statement_timeout = " + (Math.max(1, lockTimeoutMs) + 1000));
            // exclusive: waits for the writes in flight, and writes that come later queue behind it
            s.execute("select pg_advisory_xact_lock(" + Replicas.EPOCH_LOCK + ")");
        } finally {
            restoreNetworkTimeout(c, socketMs);
        }
    }

    /** Sets the connection's socket deadline to {@code ms}; returns the one it had, or -1 if it cannot be changed. */
    private static int widenNetworkTimeout(Connection c, int ms) {
        try {
            int before = c.getNetworkTimeout();
            c.setNetworkTimeout(Runnable::run, ms);
            return before;
        } catch (SQLException | RuntimeException | AbstractMethodError unsupported) {
            return -1;
        }
    }

    private static void restoreNetworkTimeout(Connection c, int ms) {
        if (ms < 0) {
            return;
        }
        try {
            c.setNetworkTimeout(Runnable::run, ms);
        } catch (SQLException | RuntimeException broken) {
            // a connection that broke during the wait is discarded by the pool; its deadline no longer matters
        }
    }

    /**
     * Takes the epoch lock shared in {@code expected}'s write majority and checks there, as every write
     * does, that the current state is {@code expected} and names {@code node}: the fence of the
     * detector's own writes (liveness tick, catch-up). Leaves the connections open in the transaction.
     */
    private Map<String, Connection> fenceShared(EpochState expected, String node) throws SQLException, StaleEpochException {
        Map<String, Connection> locked = new LinkedHashMap<>();
        try {
            Map<String, EpochState> rows = new LinkedHashMap<>();
            for (String store : expected.writeMajority()) {
                Connection c = dataSource(store).getConnection();
                locked.put(store, c);
                try (Statement s = c.createStatement()) {
                    s.execute("select pg_advisory_xact_lock_shared(" + Replicas.EPOCH_LOCK + ")");
                }
                rows.put(store, readState(c, store));
            }
            Quorum.WriteVerdict verdict = Quorum.checkWrite(node, rows);
            if (!(verdict instanceof Quorum.Allowed allowed) || !allowed.state().sameRow(expected)) {
                throw new StaleEpochException("fenced: the write majority holds " + rows + ", not " + expected);
            }
            return locked;
        } catch (SQLException | StaleEpochException | RuntimeException e) {
            closeAll(locked);
            throw e;
        }
    }

    /**
     * The primary's liveness tick (DESIGN.md, "Liveness"): proves, every heartbeat interval, that it can
     * still write its write majority under {@code expected}, by advancing the tick there in one XA
     * transaction, fenced like every write.
     *
     * @return the new tick
     * @throws StaleEpochException this node is not the primary of {@code expected} any more
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public long tick(EpochState expected, String node) throws SQLException, StaleEpochException {
        try {
            Map<String, Connection> locked = fenceShared(expected, node);
            try {
                long tick = 0;
                for (Connection c : locked.values()) {
                    try (PreparedStatement u = c.prepareStatement("update liveness set epoch = ?, node = ?,"
                            + " tick = tick + 1, at = now() where id = 1 returning tick")) {
                        u.setLong(1, expected.epoch());
                        u.setString(2, node);
                        try (ResultSet rs = u.executeQuery()) {
                            rs.next();
                            tick = Math.max(tick, rs.getLong(1));
                        }
                    }
                }
                return tick;
            } finally {
                closeAll(locked);
            }
        } catch (SQLException | StaleEpochException | RuntimeException e) {
            context.setRollbackOnly();
            throw e;
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
     * Replays up to {@code limit} journal entries, oldest first, from the source into the lagging database
     * and deletes them from the journal, in one XA transaction fenced like a write: the epoch lock shared
     * in the write majority ({@code source} + witness) with {@code expected} found there naming
     * {@code node}, and shared in the lagging database too. The lagging database is written by nothing
     * else. Entries are after-images applied as upserts, so replaying one twice does no harm.
     *
     * @return how many entries were replayed
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int replayBatch(EpochState expected, String node, int limit) throws SQLException, StaleEpochException {
        try {
            Map<String, Connection> fenced = fenceShared(expected, node);
            try (Connection to = dataSource(expected.lagging()).getConnection()) {
                try (Statement s = to.createStatement()) {
                    s.execute("select pg_advisory_xact_lock_shared(" + Replicas.EPOCH_LOCK + ")");
                }
                Connection from = fenced.get(expected.dataDatabases().get(0));
                List<JournalEntry> batch = readJournal(from, limit);
                apply(to, batch);
                deleteJournal(from, batch);
                return batch.size();
            } finally {
                closeAll(fenced);
            }
        } catch (SQLException | StaleEpochException | RuntimeException e) {
            context.setRollbackOnly();
            throw e;
        }
    }

    /**
     * The end of a catch-up: with the epoch lock held exclusive in the source, the lagging database and
     * every other store given (writes wait), replays what is left of the journal and puts the stores back
     * in sync mode at the next epoch, in one XA transaction. From then on writes go to both again.
     *
     * @return the new state
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public EpochState resync(EpochState expected, String writer, List<String> stores, long lockTimeoutMs)
            throws SQLException, StaleEpochException {
        EpochState next = expected.next(expected.primary(), null, writer);
        try {
            Map<String, Connection> locked = lockExclusive(stores, lockTimeoutMs);
            try {
                if (!locked.containsKey(expected.lagging())) {
                    throw new StaleEpochException("the lagging database " + expected.lagging() + " is not reachable");
                }
                Connection from = locked.get(expected.dataDatabases().get(0));
                Connection to = locked.get(expected.lagging());
                List<JournalEntry> rest = readJournal(from, Integer.MAX_VALUE);
                apply(to, rest);
                deleteJournal(from, rest);
                writeState(locked, expected, next);
                String detail = expected.lagging() + " caught up (" + rest.size() + " last journal entries applied under the lock)";
                String eventId = UUID.randomUUID().toString();
                Timestamp now = Timestamp.from(Instant.now());
                insertEvent(from, eventId, now, expected.primary(), "resynced", next.epoch(), detail);
                insertEvent(to, eventId, now, expected.primary(), "resynced", next.epoch(), detail);
                return next;
            } finally {
                closeAll(locked);
            }
        } catch (SQLException | StaleEpochException | RuntimeException e) {
            context.setRollbackOnly();
            throw e;
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
            + " quantity, status, created_at, epoch, node, cancel_operation_id, cancelled_at, version)"
            + " select id, client_id, operation_id, resource_id, quantity, status, created_at, epoch, node,"
            + " cancel_operation_id, cancelled_at, version from jsonb_populate_record(null::reservation, ?::jsonb)"
            + " on conflict (id) do update set status = excluded.status, cancel_operation_id = excluded.cancel_operation_id,"
            + " cancelled_at = excluded.cancelled_at, version = excluded.version";

    /** An applied inventory write is immutable: the row is there or it is not. */
    private static final String INSERT_INVENTORY_OPERATION = "insert into inventory_operation (id, client_id, operation_id,"
            + " kind, resource_id, capacity, expected_version, name, reserved, version, applied_at, epoch, node)"
            + " select id, client_id, operation_id, kind, resource_id, capacity, expected_version, name, reserved, version,"
            + " applied_at, epoch, node from jsonb_populate_record(null::inventory_operation, ?::jsonb)"
            + " on conflict (id) do nothing";

    private static void apply(Connection to, List<JournalEntry> entries) throws SQLException {
        try (PreparedStatement resource = to.prepareStatement(UPSERT_RESOURCE);
             PreparedStatement reservation = to.prepareStatement(UPSERT_RESERVATION);
             PreparedStatement inventoryOperation = to.prepareStatement(INSERT_INVENTORY_OPERATION)) {
            for (JournalEntry e : entries) {
                PreparedStatement s = switch (e.table()) {
                    case "resource" -> resource;
                    case "reservation" -> reservation;
                    case "inventory_operation" -> inventoryOperation;
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
        for (String db : Quorum.STORES) {
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
        return (int) firstLong(database, "select count(*) filter (where pg_terminate_backend(pid))"
                + " from pg_stat_activity where application_name = ? and datname = current_database()"
                + " and pid <> pg_backend_pid()", s -> s.setString(1, node));
    }

    /**
     * Ends this node's own write sessions that hold the epoch lock shared in one store, but only while
     * an exclusive request for that lock waits there: the degrade of a primary whose other data database
     * hangs. Such a write took the lock here, then got stuck on the silent database, where every call
     * runs to its own deadline (pool wait, validation, connect, login, socket: seconds each); waiting
     * for it made the degrade's lock wait run out round after round while fresh writes took the lock in
     * between (SafetyIT, a SIGSTOPped db-b). Ending the session rolls back a branch that was never
     * prepared, so the write fails and its client resends: nothing acknowledged is touched. A prepared
     * branch holds the lock without a session (its pid is null in {@code pg_locks}) and is never ended
     * here. See PostgreSQL's documentation of {@code pg_locks} and {@code pg_terminate_backend}.
     *
     * @param store the epoch store (a data database or the witness)
     * @param node  this node's name, its connections' {@code application_name}
     * @return how many sessions were ended (0 while no exclusive request waits)
     * @throws SQLException the store did not answer within 2 s
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int endOwnWritesBlockingEpochChange(String store, String node) throws SQLException {
        String epochLock = "l.locktype = 'advisory' and l.objsubid = 1"
                + " and ((l.classid::bigint << 32) | l.objid::bigint) = " + Replicas.EPOCH_LOCK
                + " and l.database = (select oid from pg_database where datname = current_database())";
        return (int) firstLong(store, "select count(*) filter (where pg_terminate_backend(a.pid))"
                + " from pg_locks l join pg_stat_activity a on a.pid = l.pid"
                + " where " + epochLock + " and l.mode = 'ShareLock' and l.granted"
                + " and a.application_name = ? and a.pid <> pg_backend_pid()"
                + " and exists (select 1 from pg_locks l where " + epochLock
                + " and l.mode = 'ExclusiveLock' and not l.granted)", s -> s.setString(1, node));
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

    /**
     * Whether a store holds any prepared transaction (Duplex's or not) prepared more than
     * {@code seconds} ago: while one does, a marker that old may still be asked for.
     *
     * @throws SQLException the store did not answer within 2 s
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public boolean holdsPreparedOlderThan(String store, long seconds) throws SQLException {
        return firstLong(store, "select count(*) from pg_prepared_xacts where database = current_database()"
                + " and prepared < now() - make_interval(secs => ?)", s -> s.setLong(1, seconds)) > 0;
    }

    /** Binds the parameters of a statement. */
    @FunctionalInterface
    private interface Parameters {
        void bind(PreparedStatement s) throws SQLException;
    }

    /** The first column of the first row of a one-row query run outside any transaction, within 2 s. */
    private long firstLong(String store, String sql, Parameters parameters) throws SQLException {
        try (Connection c = dataSource(store).getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setQueryTimeout(2);
            parameters.bind(s);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Deletes up to 10,000 transaction markers written more than {@code olderThanSeconds} ago in one
     * store (the caller has checked that none can be asked for any more: {@link #holdsPreparedOlderThan}).
     *
     * @return how many were deleted
     * @throws SQLException the store did not answer within 2 s
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int pruneMarkers(String store, long olderThanSeconds) throws SQLException {
        try (Connection c = dataSource(store).getConnection();
             PreparedStatement s = c.prepareStatement("delete from xa_marker where gtrid in (select gtrid from xa_marker"
                     + " where written_at < now() - make_interval(secs => ?) limit 10000)")) {
            s.setQueryTimeout(2);
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
