package org.duplex.stock.server;

import jakarta.annotation.Resource;
import jakarta.ejb.EJBException;
import jakarta.ejb.Remote;
import jakarta.ejb.Stateless;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.duplex.stock.StockReservations;

/**
 * A plain stateless bean as a WildFly user would write it: container-managed JTA, the two XA
 * datasources every node has, one insert in each. Deployed on both nodes; a clustered server hands the
 * stock client the cluster topology and the client balances calls over both nodes.
 */
@Stateless
@Remote(StockReservations.class)
public class StockReservationBean implements StockReservations {

    @Resource(lookup = "java:jboss/datasources/duplex-db-a")
    private DataSource dbA;

    @Resource(lookup = "java:jboss/datasources/duplex-db-b")
    private DataSource dbB;

    @Override
    public String reserve(String clientId, String operationId) {
        String id = UUID.randomUUID().toString();
        String node = System.getProperty("jboss.node.name", "?");
        Timestamp now = Timestamp.from(Instant.now());
        try {
            insert(dbA, id, clientId, operationId, node, now);
            insert(dbB, id, clientId, operationId, node, now);
        } catch (SQLException e) {
            throw new EJBException("stock reservation not written: " + e.getMessage(), e);
        }
        return id + "@" + node;
    }

    private static void insert(DataSource ds, String id, String clientId, String operationId, String node, Timestamp at)
            throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "insert into stock_reservation (id, client_id, operation_id, node, at) values (?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, clientId);
            s.setString(3, operationId);
            s.setString(4, node);
            s.setTimestamp(5, at);
            s.executeUpdate();
        }
    }
}
