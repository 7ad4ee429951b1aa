package org.duplex.stock.server;

import jakarta.ejb.EJBException;
import jakarta.ejb.Remote;
import jakarta.ejb.Stateless;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.duplex.stock.SingleDatabaseReservations;

/**
 * The single-database baseline: container-managed JTA over the node's own datasource alone (named by the node's
 * {@code duplex.own.database}, {@code db-a} on node-a), so the transaction manager commits it in one phase. No
 * fence, no second database, no journal: what the benchmark sets Duplex's replicated write against.
 */
@Stateless
@Remote(SingleDatabaseReservations.class)
public class SingleDatabaseReservationBean implements SingleDatabaseReservations {

    @Override
    public String reserve(String clientId, String operationId, String resourceId, int quantity) {
        String node = System.getProperty("jboss.node.name", "?");
        try (Connection c = ownDatabase().getConnection()) {
            String earlier = earlier(c, clientId, operationId);
            if (earlier != null) {
                return earlier + "@" + node;
            }
            lockAndCheck(c, resourceId, quantity);
            String id = UUID.randomUUID().toString();
            try (PreparedStatement s = c.prepareStatement("insert into single_db_reservation"
                    + " (id, client_id, operation_id, resource_id, quantity, node, at) values (?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, id);
                s.setString(2, clientId);
                s.setString(3, operationId);
                s.setString(4, resourceId);
                s.setInt(5, quantity);
                s.setString(6, node);
                s.setTimestamp(7, Timestamp.from(Instant.now()));
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "update single_db_resource set reserved = reserved + ? where id = ?")) {
                s.setInt(1, quantity);
                s.setString(2, resourceId);
                s.executeUpdate();
            }
            return id + "@" + node;
        } catch (SQLException | NamingException e) {
            throw new EJBException("single-database reservation not written: " + e.getMessage(), e);
        }
    }

    private static DataSource ownDatabase() throws NamingException {
        return InitialContext.doLookup("java:jboss/datasources/duplex-" + System.getProperty("duplex.own.database", "db-a"));
    }

    private static String earlier(Connection c, String clientId, String operationId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select id from single_db_reservation where client_id = ? and operation_id = ?")) {
            s.setString(1, clientId);
            s.setString(2, operationId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void lockAndCheck(Connection c, String resourceId, int quantity) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select capacity - reserved from single_db_resource where id = ? for update")) {
            s.setString(1, resourceId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new EJBException("no resource " + resourceId);
                }
                if (rs.getLong(1) < quantity) {
                    throw new EJBException("resource " + resourceId + " has " + rs.getLong(1) + " units left; " + quantity
                            + " requested");
                }
            }
        }
    }
}
