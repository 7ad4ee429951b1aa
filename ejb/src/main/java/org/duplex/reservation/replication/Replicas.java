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

    public static final List<String> DATABASES = List.of("db-a", "db-b");

    /**
     * The key of the advisory lock that orders writes against a change of epoch: every write holds it
     * shared, a promotion takes it exclusive. A heavyweight lock, so waiters are served in order and a
     * steady stream of writes can not starve a switchover (a share lock on the cluster_state row can).
     */
    public static final long EPOCH_LOCK = 0x4475706c6578L;

    private final List<Replica> all;
    private final Replica own;
    private final NodeIdentity node;
    private final TransactionManager tm;

    public Replicas(NodeIdentity node, TransactionManager tm, EntityManager dbA, EntityManager dbB) {
        this.node = node;
        this.tm = tm;
        this.all = List.of(new Replica("db-a", dbA), new Replica("db-b", dbB));
        this.own = all.stream().filter(r -> r.database().equals(node.ownDatabase())).findFirst().orElseThrow();
    }

    public List<Replica> all() {
        return all;
    }

    /** The node's own database: where reads are served from. */
    public Replica own() {
        return own;
    }

    public NodeIdentity node() {
        return node;
    }

    /** Work on one replica; may throw a {@link DuplexException} or a persistence failure. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Replica replica) throws DuplexException;
    }

    /** Runs {@code work} on every replica in order, collecting the answers, each failure typed. */
    public <T> List<T> onEach(Work<T> work) throws DuplexException {
        List<T> results = new ArrayList<>(all.size());
        for (Replica replica : all) {
            results.add(on(replica, work));
        }
        return results;
    }

    /** Runs {@code work} on one replica with its failures typed. */
    public <T> T on(Replica replica, Work<T> work) throws DuplexException {
        try {
            return work.apply(replica);
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
     * The epoch fence: takes the {@link #EPOCH_LOCK} shared in every database, held to the end of the
     * transaction, then reads {@code cluster_state}, and refuses the write unless every database names
     * this node as primary at the same epoch. A promotion takes that lock exclusive before it moves the
     * epoch, so it waits for writes in flight, and every write after it sees the new primary and is
     * refused: a demoted node can never commit again.
     *
     * <p>It also marks the transaction in both databases ({@code xa_marker}): how whoever finishes
     * an in-doubt branch of it later learns whether the other branch committed.
     *
     * @return the epoch the write is made under
     */
    public long fence() throws DuplexException {
        List<Object[]> states = onEach(r -> {
            r.em().createNativeQuery("select count(*) from (select pg_advisory_xact_lock_shared(?)) epoch_lock")
                    .setParameter(1, EPOCH_LOCK).getSingleResult();
            // a statement of its own, so that it reads what was committed before the lock was granted
            return (Object[]) r.em().createNativeQuery("select epoch, primary_node from cluster_state where id = 1")
                    .getSingleResult();
        });
        long epoch = -1;
        for (int i = 0; i < all.size(); i++) {
            long e = ((Number) states.get(i)[0]).longValue();
            String primary = (String) states.get(i)[1];
            if (!node.name().equals(primary)) {
                throw new NotPrimaryException(node.name() + " is not the primary: " + all.get(i).database()
                        + " names " + primary + " at epoch " + e);
            }
            if (epoch >= 0 && e != epoch) {
                throw new ReplicaDivergenceException("the databases disagree on the epoch: " + describe(states));
            }
            epoch = e;
        }
        String gtrid = GlobalTransaction.currentGtrid(tm);
        onEach(r -> r.em().createNativeQuery("insert into xa_marker (gtrid, written_at) values (?, now())")
                .setParameter(1, gtrid).executeUpdate());
        return epoch;
    }

    private String describe(List<Object[]> states) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < all.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(all.get(i).database()).append(" epoch ").append(states.get(i)[0])
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

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
