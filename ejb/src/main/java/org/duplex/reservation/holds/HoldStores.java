package org.duplex.reservation.holds;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.ReplicaUnavailableException;
import org.duplex.reservation.api.UnknownResourceException;
import org.duplex.reservation.replication.EpochState;
import org.duplex.reservation.replication.NodeIdentity;
import org.duplex.reservation.replication.Quorum;
import org.duplex.reservation.replication.Replicas;

/**
 * The databases as the hold path reads them: plain reads on the XA datasources outside any transaction
 * (autocommit, READ COMMITTED), no lock, no marker, nothing written; each with the datasources' deadlines
 * (socket 2 s, statement 2.5 s). The primary check reads {@code cluster_state} in the stores of the write
 * majority, side by side, and decides with {@link Quorum#checkWrite}, as the write fence does; it is what
 * orders a hold before any promotion (docs/holds.md, "Fencing").
 */
@ApplicationScoped
public class HoldStores {

    private static final String STATE = "select epoch, primary_node, lagging, written_by from cluster_state where id = 1";

    @Resource(lookup = "java:jboss/datasources/duplex-db-a")
    private DataSource dbA;

    @Resource(lookup = "java:jboss/datasources/duplex-db-b")
    private DataSource dbB;

    @Resource(lookup = "java:jboss/datasources/duplex-db-w")
    private DataSource witness;

    /** The ee subsystem's default managed executor: where the other stores' state rows are read beside the first. */
    @Resource(lookup = "java:jboss/ee/concurrency/executor/default")
    private ManagedExecutorService readers;

    /**
     * Longest wait, in ms, for a store read on another thread: the read's own deadlines (a pooled connection
     * 2 s, socket 2 s, statement 2.5 s) normally end it first.
     */
    static final long READ_WAIT_MS = 5_000;

    private volatile NodeIdentity node;
    /** The epoch this node last proved itself primary at, 0 before the first check. */
    private volatile long knownEpoch;

    public NodeIdentity node() {
        if (node == null) {
            node = NodeIdentity.fromSystemProperties();
        }
        return node;
    }

    /** The epoch of this node's last successful {@link #checkPrimary()}, or 0: what a new PENDING entry carries. */
    public long knownEpoch() {
        return knownEpoch;
    }

    /**
     * Reads the state row in every store of the write majority (as this node last saw the mode) and returns
     * it if they all hold the same row naming this node primary, whose write majority is those stores.
     *
     * @throws org.duplex.reservation.api.NotPrimaryException another node is primary
     * @throws ReplicaUnavailableException a store did not answer in time, or the mode changed (resend)
     * @throws org.duplex.reservation.api.ReplicaDivergenceException the stores disagree
     */
    public EpochState checkPrimary() throws DuplexException {
        List<String> chosen = Replicas.writeMajorityHint();
        EpochState state = Replicas.allowed(node().name(), chosen, verdict(chosen));
        knownEpoch = state.epoch();
        return state;
    }

    /**
     * The same check without its side effects (the detector is not told, the mode hint is not changed): the
     * state naming this node primary, or null. For the sweeper, which runs on every node every 2 s.
     *
     * @throws ReplicaUnavailableException a store did not answer in time
     */
    public EpochState primaryStateQuietly() throws DuplexException {
        return verdict(Replicas.writeMajorityHint()) instanceof Quorum.Allowed allowed ? allowed.state() : null;
    }

    /**
     * The state rows of {@code chosen}, each read in a statement of its own, judged by {@link Quorum#checkWrite}.
     * The first store is read on the caller's thread and the others beside it on the server's default managed
     * executor (outside any transaction there too), so the check costs one round trip, not one per store. Each
     * read keeps its own deadlines; waiting for one on another thread ends after {@link #READ_WAIT_MS} at most.
     */
    private Quorum.WriteVerdict verdict(List<String> chosen) throws DuplexException {
        Map<String, Future<EpochState>> beside = new LinkedHashMap<>();
        try {
            for (String store : chosen.subList(1, chosen.size())) {
                beside.put(store, readBeside(store));
            }
            Map<String, EpochState> read = new LinkedHashMap<>();
            read.put(chosen.get(0), state(chosen.get(0)));
            for (Map.Entry<String, Future<EpochState>> e : beside.entrySet()) {
                read.put(e.getKey(), await(e.getKey(), e.getValue()));
            }
            return Quorum.checkWrite(node().name(), read);
        } finally {
            // a read still queued when another failed is not started; one under way ends by its own deadlines
            beside.values().forEach(f -> f.cancel(false));
        }
    }

    /** The read of one store's state row on the executor, or on this thread when the executor refuses it. */
    private Future<EpochState> readBeside(String store) {
        try {
            return readers.submit(() -> state(store));
        } catch (RejectedExecutionException full) {
            FutureTask<EpochState> here = new FutureTask<>(() -> state(store));
            here.run();
            return here;
        }
    }

    private static EpochState await(String store, Future<EpochState> reading) throws DuplexException {
        try {
            return reading.get(READ_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DuplexException d) {
                throw d;
            }
            throw new ReplicaUnavailableException("database " + store + " could not be read: " + e.getCause());
        } catch (TimeoutException e) {
            throw new ReplicaUnavailableException("database " + store + " was not read within " + READ_WAIT_MS
                    + " ms; nothing was written");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicaUnavailableException("interrupted while reading database " + store);
        }
    }

    /** The state row of one store. */
    private EpochState state(String store) throws ReplicaUnavailableException {
        return query(store, STATE, c -> {
            try (ResultSet rs = c.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no cluster_state row in " + store);
                }
                return new EpochState(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4));
            }
        });
    }

    /**
     * The resource's {@code {capacity, reserved}} as committed in the database reads are served from.
     *
     * @throws UnknownResourceException no such resource
     */
    public long[] capacityAndReserved(String resourceId) throws DuplexException {
        long[] row = query(readDatabase(), "select capacity, reserved from resource where id = ?", s -> {
            s.setString(1, resourceId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
            }
        });
        if (row == null) {
            throw new UnknownResourceException("no resource with id " + resourceId);
        }
        return row;
    }

    /** The operation id of the reservation with this id (a confirmed hold's), or null when there is none. */
    public String reservationOperation(String reservationId) throws DuplexException {
        return query(readDatabase(), "select operation_id from reservation where id = ?", s -> {
            s.setString(1, reservationId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    private String readDatabase() {
        return Replicas.readDatabase(node().ownDatabase());
    }

    @FunctionalInterface
    private interface Statement<T> {
        T run(PreparedStatement s) throws SQLException;
    }

    private <T> T query(String store, String sql, Statement<T> work) throws ReplicaUnavailableException {
        DataSource ds = switch (store) {
            case "db-a" -> dbA;
            case "db-b" -> dbB;
            default -> witness;
        };
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            return work.run(s);
        } catch (SQLException | RuntimeException e) {
            throw new ReplicaUnavailableException("database " + store + " could not be read within its deadline;"
                    + " nothing was written: " + e.getMessage());
        }
    }
}
