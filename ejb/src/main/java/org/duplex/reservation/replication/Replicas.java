package org.duplex.reservation.replication;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.PessimisticLockException;
import jakarta.transaction.TransactionManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.duplex.reservation.api.ConcurrentUpdateException;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.NotPrimaryException;
import org.duplex.reservation.api.ReplicaDivergenceException;
import org.duplex.reservation.api.ReplicaUnavailableException;
import org.duplex.reservation.api.RequestConflictException;

/**
 * The data databases and the epoch stores of one write, always in the same order ({@code db-a},
 * {@code db-b}, {@code db-w}) so that two writers lock in the same order and cannot deadlock each other
 * across databases.
 *
 * <p>Everything done through it runs in the caller's JTA transaction, which enlists both XA
 * datasources: the changes reach both databases or neither. A failure of one database is turned
 * into a typed {@link DuplexException} naming the database, so the container rolls back both.
 */
public final class Replicas {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Replicas.class.getName());

    public static final List<String> DATABASES = List.of("db-a", "db-b");

    /**
     * The key of the advisory lock that orders writes against a change of epoch: every write holds it
     * shared, a promotion takes it exclusive. A heavyweight lock, so waiters are served in order and a
     * steady stream of writes can not starve a switchover (a share lock on the cluster_state row can).
     */
    public static final long EPOCH_LOCK = 0x4475706c6578L;

    private final List<Replica> all;
    private final Replica own;
    /** The databases this transaction writes, fixed by {@link #fence()}: both in sync mode, one in degraded mode. */
    private List<Replica> participants;
    /** Whether this write goes to one database because the other is lagging, so its changes are journaled. */
    private boolean degraded;
    private final NodeIdentity node;
    private final TransactionManager tm;
    private final Consumer<String> writeStarted;
    /** The witness db-w's XA datasource: an epoch store, never read for business data. */
    private final DataSource witness;

    /**
     * @param writeStarted told, once a write transaction passed the fence, how it replicates:
     *                     {@code xa} or {@code degraded} (metrics)
     */
    public Replicas(NodeIdentity node, TransactionManager tm, EntityManager dbA, EntityManager dbB,
                    DataSource witness, Consumer<String> writeStarted) {
        this.node = node;
        this.witness = witness;
        this.tm = tm;
        this.writeStarted = writeStarted;
        this.all = List.of(new Replica("db-a", dbA), new Replica("db-b", dbB));
        this.own = all.stream().filter(r -> r.database().equals(node.ownDatabase())).findFirst().orElseThrow();
    }

    /**
     * Where reads are served from: the node's own database, or the other one while its own is lagging
     * (down, or behind in degraded mode).
     */
    public Replica own() {
        String reads = readDatabase(own.database());
        return all.stream().filter(r -> r.database().equals(reads)).findFirst().orElse(own);
    }

    /** The database a node whose own is {@code ownDatabase} reads from: its own, or the other while its own is lagging. */
    public static String readDatabase(String ownDatabase) {
        String lagging = ReplicationHint.lagging();
        if (ownDatabase.equals(lagging)) {
            return Quorum.DATA_DATABASES.stream().filter(db -> !db.equals(lagging)).findFirst().orElse(ownDatabase);
        }
        return ownDatabase;
    }

    /** The databases the current write goes to, in lock order; set by {@link #fence()}. */
    public List<Replica> participants() {
        if (participants == null) {
            throw new IllegalStateException("fence() decides which databases a write goes to; call it first");
        }
        return participants;
    }

    public NodeIdentity node() {
        return node;
    }

    /** Work on one replica; may throw a {@link DuplexException} or a persistence failure. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Replica replica) throws DuplexException;
    }

    /** Runs {@code work} on every database this write goes to, in order, collecting the answers, each failure typed. */
    public <T> List<T> onEach(Work<T> work) throws DuplexException {
        return onAll(participants(), work);
    }

    private <T> List<T> onAll(List<Replica> replicas, Work<T> work) throws DuplexException {
        List<T> results = new ArrayList<>(replicas.size());
        for (Replica replica : replicas) {
            results.add(on(replica, work));
        }
        return results;
    }

    /** The row of {@code rows} (one per participant, in order) that the reading database holds. */
    public <T> T ownRow(List<T> rows) {
        return rows.get(participants().indexOf(own()));
    }

    /** The tables whose rows the journal carries; the catch-up upserts each (ClusterStateStore). */
    public static final java.util.Set<String> JOURNALED_TABLES = java.util.Set.of("resource", "reservation", "inventory_operation");

    /**
     * In degraded mode, records the after-image of a row this write changed in the journal of the
     * database written, in the same transaction, to be replayed into the lagging database. Call it
     * after the change is flushed. Nothing to do in sync mode.
     */
    public void journal(String table, String key) throws DuplexException {
        if (!degraded) {
            return;
        }
        if (!JOURNALED_TABLES.contains(table)) {
            throw new IllegalArgumentException("no journal for table " + table);
        }
        onEach(r -> r.em().createNativeQuery("insert into replication_journal (at, tbl, row_key, row_data)"
                        + " select now(), '" + table + "', t.id, to_jsonb(t) from " + table + " t where t.id = ?")
                .setParameter(1, key).executeUpdate());
    }

    /** Runs {@code work} on one replica with its failures typed. */
    public <T> T on(Replica replica, Work<T> work) throws DuplexException {
        try {
            T result = work.apply(replica);
            // Hibernate's find() answers null instead of throwing when a connection failure has already
            // marked the JTA transaction for rollback (HHH-12472): that null is not "no such row"
            if (markedForRollback()) {
                throw new ReplicaUnavailableException("database " + replica.database()
                        + " failed during this request; nothing was written");
            }
            return result;
        } catch (OptimisticLockException e) {
            throw new ConcurrentUpdateException("a row changed in " + replica.database()
                    + " while this request was writing it; read again and resend");
        } catch (PessimisticLockException | LockTimeoutException e) {
            throw new ConcurrentUpdateException("could not lock a row in " + replica.database() + ": " + rootMessage(e));
        } catch (PersistenceException e) {
            if (isConstraintViolation(e)) {
                throw new RequestConflictException("a unique key was already taken in " + replica.database()
                        + " (an id or operation id reused concurrently): " + rootMessage(e));
            }
            throw new ReplicaUnavailableException("database " + replica.database() + " could not be written: "
                    + rootMessage(e));
        } catch (DuplexException e) {
            throw e;
        } catch (RuntimeException e) {
            // connection acquisition and XA enlistment failures arrive as assorted runtime exceptions
            throw new ReplicaUnavailableException("database " + replica.database() + " is unreachable: "
                    + rootMessage(e));
        }
    }

    /**
     * The epoch fence (DESIGN.md, "Three epoch stores, majority quorums"): takes the {@link #EPOCH_LOCK}
     * shared, held to the end of the transaction, in every store of the write majority this node last
     * saw ({@code db-a} + {@code db-b} in sync mode; the surviving data database + the witness
     * {@code db-w} when degraded), in lock order, marks the transaction there and reads
     * {@code cluster_state} in a statement of its own after the lock (one call of {@code duplex_fence},
     * one round trip per store), and lets the write go on only if {@link Quorum#checkWrite} allows it: the same
     * row in all of them, naming this node primary, whose write majority is exactly those stores. A
     * change of state takes that lock exclusive in a majority, which shares a store with this one: it
     * waits for this write, and every write after it is refused. A demoted node can never commit again.
     *
     * <p>A degraded write thus enlists the witness too and is still a two-phase commit: its failure can
     * never be reported as a success. It also marks the transaction in every store it locked
     * ({@code xa_marker}, naming the participants): how whoever finishes an in-doubt branch of it later
     * learns whether another branch committed.
     *
     * @return the epoch the write is made under
     * @throws NotPrimaryException          the stores name another primary (retryable elsewhere)
     * @throws ReplicaUnavailableException  a store of the write majority does not answer within its
     *                                      deadline, or the mode changed since this node last looked (resend)
     * @throws ReplicaDivergenceException   the stores hold different rows at one epoch
     */
    public long fence() throws DuplexException {
        List<String> chosen = writeMajorityHint();
        String gtrid = GlobalTransaction.currentGtrid(tm);
        String names = String.join(",", chosen);
        Map<String, EpochState> locked = new LinkedHashMap<>();
        for (String store : chosen) {
            locked.put(store, lockMarkAndRead(store, gtrid, names));
        }
        EpochState state = allowed(node.name(), chosen, Quorum.checkWrite(node.name(), locked));
        participants = all.stream().filter(r -> state.dataDatabases().contains(r.database())).toList();
        degraded = state.degraded();
        writeStarted.accept(degraded ? "degraded" : "xa");
        return state.epoch();
    }

    /**
     * The state a write may go on under, or the typed refusal of {@link Quorum#checkWrite}'s verdict: also
     * how the hold path (org.duplex.reservation.holds) reads it, so both refuse alike.
     *
     * @param chosen the stores read, for the message
     * @throws NotPrimaryException         the stores name another primary (the detector is told at once)
     * @throws ReplicaUnavailableException the mode changed since this node last looked (the hint is updated; resend)
     * @throws ReplicaDivergenceException  the stores hold different rows at one epoch
     */
    public static EpochState allowed(String node, List<String> chosen, Quorum.WriteVerdict verdict)
            throws DuplexException {
        if (verdict instanceof Quorum.Allowed allowed) {
            return allowed.state();
        }
        if (verdict instanceof Quorum.NotPrimary np) {
            FencedSignal.fenced();
            throw new NotPrimaryException(node + " is not the primary: " + chosen + " name "
                    + np.state().primary() + " at epoch " + np.state().epoch());
        }
        if (verdict instanceof Quorum.ModeChanged changed) {
            // the mode changed since this node last looked: learn it, and let the client resend
            ReplicationHint.lagging(changed.state().lagging());
            throw new ReplicaUnavailableException("replication is now " + changed.state().mode()
                    + (changed.state().lagging() == null ? "" : " (" + changed.state().lagging() + " lagging)")
                    + " at epoch " + changed.state().epoch() + "; resend");
        }
        throw divergence(((Quorum.Diverged) verdict).reason());
    }

    /** The stores a write goes to as this node last saw the mode: db-a + db-b, or the survivor + the witness. */
    public static List<String> writeMajorityHint() {
        String hint = ReplicationHint.lagging();
        return hint == null ? Quorum.DATA_DATABASES
                : List.of(Quorum.DATA_DATABASES.stream().filter(db -> !db.equals(hint)).findFirst().orElseThrow(),
                        Quorum.WITNESS);
    }

    /**
     * One round trip per store (schema version 6, the witness's 2): the epoch lock shared, the marker of
     * this transaction, then the state row, read by a statement of its own after the lock (at READ
     * COMMITTED it then sees every change committed before the lock was granted).
     */
    private static final String FENCE = "select epoch, primary_node, lagging, written_by from duplex_fence(?, ?, ?)";

    /**
     * The epoch lock shared in one store, this transaction's marker naming its participants, then the
     * store's state row, in one call of {@code duplex_fence}. The data databases are reached through
     * their persistence unit, so the lock is held by the very branch that writes the rows; the witness
     * through its datasource, enlisted in the same transaction.
     */
    private EpochState lockMarkAndRead(String store, String gtrid, String participantNames) throws DuplexException {
        Replica data = replica(store);
        if (data != null) {
            Object[] row = on(data, r -> (Object[]) r.em().createNativeQuery(FENCE).setParameter(1, EPOCH_LOCK)
                    .setParameter(2, gtrid).setParameter(3, participantNames).getSingleResult());
            return new EpochState(((Number) row[0]).longValue(), (String) row[1], (String) row[2], (String) row[3]);
        }
        return onWitness(c -> {
            try (PreparedStatement s = c.prepareStatement(FENCE)) {
                s.setLong(1, EPOCH_LOCK);
                s.setString(2, gtrid);
                s.setString(3, participantNames);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("no cluster_state row in " + Quorum.WITNESS);
                    }
                    return new EpochState(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4));
                }
            }
        });
    }

    private Replica replica(String database) {
        return all.stream().filter(r -> r.database().equals(database)).findFirst().orElse(null);
    }

    /** JDBC work on the witness's connection, enlisted in the caller's JTA transaction. */
    @FunctionalInterface
    private interface WitnessWork<T> {
        T apply(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on the witness over its XA datasource, inside the caller's transaction (the
     * handle is closed after the work; its branch stays enlisted to the end), its failure typed.
     */
    private <T> T onWitness(WitnessWork<T> work) throws DuplexException {
        try (Connection c = witness.getConnection()) {
            return work.apply(c);
        } catch (SQLException | RuntimeException e) {
            throw new ReplicaUnavailableException("the witness " + Quorum.WITNESS + " could not be locked and read"
                    + " within its deadline; nothing was written: " + rootMessage(e));
        }
    }

    private static boolean isConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
            if (t.getClass().getName().endsWith("ConstraintViolationException")) {
                return true;
            }
        }
        return false;
    }

    private boolean markedForRollback() {
        try {
            return tm.getStatus() == jakarta.transaction.Status.STATUS_MARKED_ROLLBACK;
        } catch (jakarta.transaction.SystemException e) {
            return true;
        }
    }

    /** A divergence between the databases is never expected: it is logged where it is found, then refused. */
    public static ReplicaDivergenceException divergence(String message) {
        LOG.warning("replica divergence: " + message);
        return new ReplicaDivergenceException(message);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
