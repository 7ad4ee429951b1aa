package org.duplex.detector;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.duplex.reservation.api.PrimaryBinding;

/**
 * Starts with the node and compares the cluster state in the node's own database with the
 * {@code reservation/primary} binding, logging the node's role.
 *
 * <p>So far it only observes: heartbeats, promotion, fencing epochs and failback are not built yet,
 * so it never rebinds anything and never changes the epoch.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class FaultDetector {

    private static final Logger LOG = Logger.getLogger(FaultDetector.class.getName());

    private volatile String role = "unknown";

    @PostConstruct
    void start() {
        String node = System.getProperty("jboss.node.name");
        String own = System.getProperty("duplex.own.database");
        try {
            ClusterState state = readClusterState("java:jboss/datasources/duplex-" + own);
            PrimaryBinding bound = PrimaryBinding.parse((String) new InitialContext().lookup(PrimaryBinding.JNDI_NAME));
            role = state.primary().equals(node) ? "primary" : "backup";
            LOG.info(() -> node + " starts as " + role + ": " + own + " names " + state.primary() + " at epoch "
                    + state.epoch() + "; " + PrimaryBinding.REMOTE_NAME + " is '" + bound.format() + "'");
            if (!bound.node().equals(state.primary()) || bound.epoch() != state.epoch()) {
                LOG.warning(() -> PrimaryBinding.REMOTE_NAME + " (" + bound.format() + ") disagrees with " + own
                        + " (primary " + state.primary() + ", epoch " + state.epoch() + ")");
            }
        } catch (NamingException | SQLException | IllegalArgumentException e) {
            // the node still starts: clients are fenced by the databases, not by this bean
            LOG.log(Level.WARNING, node + " could not read the cluster state at startup", e);
        }
    }

    /** {@code primary}, {@code backup} or {@code unknown}, as read at startup. */
    public String role() {
        return role;
    }

    private static ClusterState readClusterState(String datasource) throws NamingException, SQLException {
        DataSource ds = (DataSource) new InitialContext().lookup(datasource);
        try (Connection c = ds.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select epoch, primary_node from cluster_state where id = 1")) {
            if (!rs.next()) {
                throw new SQLException("cluster_state has no row in " + datasource);
            }
            return new ClusterState(rs.getLong(1), rs.getString(2));
        }
    }

    private record ClusterState(long epoch, String primary) {
    }
}
