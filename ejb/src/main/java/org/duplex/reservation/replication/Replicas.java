package org.duplex.reservation.replication;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.PessimisticLockException;
import jakarta.transaction.TransactionManager;
import java.sql.SQLException;
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
 * Both databases, always in the same order ({@code db-a} then {@code db-b}) so that two writers
 * lock rows in the same order and cannot deadlock each other across databases.
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

    public Replicas(NodeIdentity node, TransactionManager tm, EntityManager dbA, EntityManager dbB) {
        this(node, tm, dbA, dbB, replication -> { });
    }

    /**
     * @param writeStarted told, once a write transaction passed the fence, how it replicates:
     *                     {@code xa}, {@code degraded} or {@code single} (metrics)
     */
    public Replicas(NodeIdentity node, TransactionManager tm, EntityManager dbA, EntityManager dbB,
                    Consumer<String> writeStarted) {
        this.node = node;
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
        String lagging = ReplicationHint.lagging();
        if (own.database().equals(lagging)) {
            return all.stream().filter(r -> !r.database().equals(lagging)).findFirst().orElse(own);
        }
        return own;
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

    /**
     * In degraded mode, records the after-image of a row this write changed in the journal of the
     * database written, in the same transaction, to be replayed into the lagging database. Call it
     * after the change is flushed. Nothing to do in sync mode.
     */
    public void journal(String table, String key) throws DuplexException {
        if (!degraded) {
            return;
        }
        if (!table.equals("resource") && !table.equals("reservation")) {
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
     * The epoch fence: takes the {@link #EPOCH_LOCK} shared in every database the write goes to (both
     * in sync mode, the one that is not lagging in degraded mode), held to the end of the transaction,
     * then reads {@code cluster_state}, and refuses the write unless every one of them names this node
     * as primary at the same epoch, in the mode that makes them the right set of databases. A promotion takes that lock exclusive before it moves the
     * epoch, so it waits for writes in flight, and every write after it sees the new primary and is
     * refused: a demoted node can never commit again.
     *
     * <p>It also marks the transaction in both databases ({@code xa_marker}): how whoever finishes
     * an in-doubt branch of it later learns whether the other branch committed.
     *
     * @return the epoch the write is made under
     */
    public long fence() throws DuplexException {
        if (Boolean.getBoolean(BENCH_SINGLE_DATABASE)) {
            return fenceSingleDatabase();
        }
        String hint = ReplicationHint.lagging();
        List<Replica> chosen = all.stream().filter(r -> !r.database().equals(hint)).toList();
        List<Object[]> states = onAll(chosen, r -> {
            r.em().createNativeQuery("select count(*) from (select pg_advisory_xact_lock_shared(?)) epoch_lock")
                    .setParameter(1, EPOCH_LOCK).getSingleResult();
            // a statement of its own, so that it reads what was committed before the lock was granted
            return (Object[]) r.em().createNativeQuery(
                    "select epoch, primary_node, mode, lagging from cluster_state where id = 1").getSingleResult();
        });
        Object[] first = states.get(0);
        for (Object[] other : states.subList(1, states.size())) {
            if (((Number) other[0]).longValue() != ((Number) first[0]).longValue()) {
                throw divergence("the databases disagree on the epoch: " + describe(chosen, states));
            }
        }
        long epoch = ((Number) first[0]).longValue();
        String primary = (String) first[1];
        String lagging = (String) first[3];
        if (!node.name().equals(primary)) {
            FencedSignal.fenced();
            throw new NotPrimaryException(node.name() + " is not the primary: " + chosen.get(0).database()
                    + " names " + primary + " at epoch " + epoch);
        }
        List<Replica> expected = all.stream().filter(r -> !r.database().equals(lagging)).toList();
        if (!expected.equals(chosen)) {
            // the mode changed since this node last looked: learn it, and let the client resend
            ReplicationHint.lagging(lagging);
            throw new ReplicaUnavailableException("replication is now " + first[2]
                    + (lagging == null ? "" : " (" + lagging + " lagging)") + " at epoch " + epoch + "; resend");
        }
        participants = chosen;
        degraded = lagging != null;
        String gtrid = GlobalTransaction.currentGtrid(tm);
        onEach(r -> r.em().createNativeQuery("insert into xa_marker (gtrid, written_at) values (?, now())")
                .setParameter(1, gtrid).executeUpdate());
        writeStarted.accept(degraded ? "degraded" : "xa");
        return epoch;
    }

    /**
     * Benchmark only ({@code ./duplex bench}): the same service writing its own database alone, in a
     * one-resource transaction, to measure what XA over two databases costs. It breaks replication on
     * purpose, so it is switched on only by the benchmark, on its own throw-away cluster.
     */
    public static final String BENCH_SINGLE_DATABASE = "duplex.bench.single-database";

    private long fenceSingleDatabase() throws DuplexException {
        Object[] state = on(own, r -> {
            r.em().createNativeQuery("select count(*) from (select pg_advisory_xact_lock_shared(?)) epoch_lock")
                    .setParameter(1, EPOCH_LOCK).getSingleResult();
            return (Object[]) r.em().createNativeQuery("select epoch, primary_node from cluster_state where id = 1")
                    .getSingleResult();
        });
        if (!node.name().equals(state[1])) {
            FencedSignal.fenced();
            throw new NotPrimaryException(node.name() + " is not the primary: " + own.database() + " names " + state[1]);
        }
        participants = List.of(own);
        writeStarted.accept("single");
        return ((Number) state[0]).longValue();
    }

    private static String describe(List<Replica> replicas, List<Object[]> states) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < replicas.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(replicas.get(i).database()).append(" epoch ").append(states.get(i)[0])
                    .append(" primary ").append(states.get(i)[1]);
        }
        return b.toString();
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
