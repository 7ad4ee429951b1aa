package org.duplex.checker.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.duplex.checker.judge.ClusterStateRow;
import org.duplex.checker.judge.ReservationRow;
import org.duplex.checker.judge.ResourceRow;
import org.duplex.checker.judge.StoreSnapshot;

/**
 * Reads one store into a {@link StoreSnapshot} in one read-only REPEATABLE READ transaction, so the
 * tables are seen at one instant. A store that does not answer within the deadline (connect, login,
 * socket and statement timeouts) becomes an unreadable snapshot with the reason, never an exception.
 */
public final class StoreReader {

    private final String password;
    private final int timeoutSeconds;

    public StoreReader(String password, int timeoutSeconds) {
        this.password = password;
        this.timeoutSeconds = timeoutSeconds;
    }

    public StoreSnapshot read(StoreAddress store) {
        Properties props = new Properties();
        props.setProperty("user", store.user());
        props.setProperty("password", password);
        props.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("socketTimeout", Integer.toString(timeoutSeconds * 2));
        props.setProperty("ApplicationName", "duplex-checker");
        props.setProperty("readOnly", "true");
        try (Connection c = DriverManager.getConnection(store.jdbcUrl(), props)) {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setQueryTimeout(timeoutSeconds * 2);
                s.execute("set local lock_timeout = '" + timeoutSeconds + "s'");
                ClusterStateRow state = state(s);
                List<String> prepared = prepared(s);
                if (!store.dataStore()) {
                    c.rollback();
                    return StoreSnapshot.witness(store.name(), state, prepared);
                }
                StoreSnapshot snapshot = new StoreSnapshot(store.name(), true, null, resources(s), reservations(s),
                        state, prepared, count(s, "select count(*) from replication_journal"), inventoryOperations(s));
                c.rollback();
                return snapshot;
            }
        } catch (SQLException e) {
            return StoreSnapshot.unreadable(store.name(), store.dataStore(),
                    e.getMessage() + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")"));
        }
    }

    private static ClusterStateRow state(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("select epoch, primary_node, mode, lagging from cluster_state where id = 1")) {
            return rs.next() ? new ClusterStateRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)) : null;
        }
    }

    /** Every prepared transaction of the server (any database): a branch left prepared blocks rows everywhere. */
    private static List<String> prepared(Statement s) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(
                "select gid, database, owner, prepared::text from pg_prepared_xacts order by prepared")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " (database " + rs.getString(2) + ", owner " + rs.getString(3)
                        + ", prepared " + rs.getString(4) + ")");
            }
        }
        return out;
    }

    private static List<ResourceRow> resources(Statement s) throws SQLException {
        List<ResourceRow> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("select id, name, capacity, reserved, version from resource order by id")) {
            while (rs.next()) {
                out.add(new ResourceRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
            }
        }
        return out;
    }

    private static List<ReservationRow> reservations(Statement s) throws SQLException {
        List<ReservationRow> out = new ArrayList<>();
        s.setFetchSize(10_000);
        try (ResultSet rs = s.executeQuery("select id, client_id, operation_id, resource_id, quantity, status,"
                + " created_at::text, epoch, node, cancel_operation_id, cancelled_at::text from reservation order by id")) {
            while (rs.next()) {
                out.add(new ReservationRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getInt(5), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9),
                        rs.getString(10), rs.getString(11)));
            }
        }
        return out;
    }

    private static List<String> inventoryOperations(Statement s) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("select concat_ws(' ', id, client_id, operation_id, kind, resource_id, capacity,"
                + " coalesce(expected_version::text, '-'), name, reserved, version, applied_at::text, epoch, node)"
                + " from inventory_operation order by id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
