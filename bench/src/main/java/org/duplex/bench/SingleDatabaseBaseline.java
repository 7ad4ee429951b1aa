package org.duplex.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Properties;
import javax.naming.Context;
import javax.naming.InitialContext;
import org.duplex.stock.SingleDatabaseReservations;

/**
 * The throughput part's baseline: {@code SingleDatabaseReservationBean} of {@code duplex-stock-ejb.jar}, deployed
 * on one node (the primary) for as long as this is open, writing that node's own database alone. Its tables are
 * created in both data databases, so whichever node is primary finds them; no Duplex table is touched.
 */
final class SingleDatabaseBaseline implements AutoCloseable {

    private static final String DEPLOYMENT = "duplex-stock-ejb.jar";
    private static final String BEAN = "ejb:/duplex-stock-ejb/SingleDatabaseReservationBean!"
            + SingleDatabaseReservations.class.getName();

    private final BenchCluster cluster;
    private final String node;
    private final Context context;
    private final SingleDatabaseReservations bean;

    /**
     * Creates the baseline's tables and {@code resources} (capacity 10^9 each) where missing, deploys the stock jar
     * found in {@code stockDir} on {@code node} alone, and looks the bean up there as {@code duplex-client}.
     *
     * @throws Exception a database, the deployment or the lookup failed; nothing is left deployed then
     */
    SingleDatabaseBaseline(BenchCluster cluster, Path stockDir, String node, List<String> resources) throws Exception {
        this.cluster = cluster;
        this.node = node;
        for (String db : List.of("db-a", "db-b")) {
            try (Connection c = cluster.jdbc(db); var s = c.createStatement();
                 PreparedStatement add = c.prepareStatement(SingleDatabaseReservations.ADD_RESOURCE)) {
                for (String ddl : SingleDatabaseReservations.SCHEMA) {
                    s.execute(ddl);
                }
                for (String id : resources) {
                    add.setString(1, id);
                    add.setLong(2, 1_000_000_000L);
                    add.executeUpdate();
                }
            }
        }
        cluster.cli(node, "deploy " + stockDir.resolve(DEPLOYMENT) + " --name=" + DEPLOYMENT + " --force");
        try {
            Properties env = new Properties();
            env.put(Context.INITIAL_CONTEXT_FACTORY, "org.wildfly.naming.client.WildFlyInitialContextFactory");
            env.put(Context.PROVIDER_URL, cluster.remoteUrl(node));
            env.put(Context.SECURITY_PRINCIPAL, "duplex-client");
            env.put(Context.SECURITY_CREDENTIALS, Files.readString(cluster.secret("client-password")).trim());
            context = new InitialContext(env);
            bean = (SingleDatabaseReservations) context.lookup(BEAN);
        } catch (Exception e) {
            cluster.cli(node, "undeploy " + DEPLOYMENT);
            throw e;
        }
    }

    /** One unit of a resource, written by the bean to its node's database: never a duplicate, since nothing is resent. */
    Workload.Request request() {
        return (clientId, operationId, resource) -> {
            String answer = bean.reserve(clientId, operationId, resource, 1);
            // "reservationId@node"
            return new Workload.Ack(answer.substring(0, answer.lastIndexOf('@')), false);
        };
    }

    /** Undeploys the bean: the failover drill deploys the stock jar again, on both nodes, when it needs it. */
    @Override
    public void close() throws Exception {
        try {
            context.close();
        } finally {
            cluster.cli(node, "undeploy " + DEPLOYMENT);
        }
    }
}
