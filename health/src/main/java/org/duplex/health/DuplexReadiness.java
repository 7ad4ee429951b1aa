package org.duplex.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The node's readiness as MicroProfile Health reports it at {@code /health/ready} on the management
 * port: whether this node can do the job its role gives it right now.
 *
 * <ul>
 *   <li>{@code primary}: ready while at least one database answers (with one down it serves from the
 *       other, in degraded mode under {@code nofail}); under {@code strict} writes are refused unless both
 *       answer, and readiness says the same;</li>
 *   <li>{@code backup}: ready while its own database answers (reads are served from it, and a promotion
 *       needs it);</li>
 *   <li>a node whose detector has no role yet (booting, or no database answered it) is not ready.</li>
 * </ul>
 * The data carries the role, the primary, the epoch, the mode, the peer and each database's state, so
 * that an operator's {@code curl} also tells why.
 */
@Readiness
@ApplicationScoped
public class DuplexReadiness implements HealthCheck {

    @Resource(lookup = "java:jboss/datasources/duplex-db-a")
    private DataSource dbA;

    @Resource(lookup = "java:jboss/datasources/duplex-db-b")
    private DataSource dbB;

    @Override
    public HealthCheckResponse call() {
        NodeState state = NodeState.current();
        Map<String, Boolean> databases = new LinkedHashMap<>();
        databases.put("db-a", answers(dbA));
        databases.put("db-b", answers(dbB));
        String own = System.getProperty("duplex.own.database", "db-a");
        boolean strict = "strict".equalsIgnoreCase(System.getProperty("duplex.replication.policy", "nofail").trim());
        HealthCheckResponseBuilder r = HealthCheckResponse.named("duplex")
                .status(ready(state.role(), databases, own, strict))
                .withData("node", state.node())
                .withData("role", state.role())
                .withData("primary", String.valueOf(state.primary()))
                .withData("epoch", state.epoch())
                .withData("mode", String.valueOf(state.mode()))
                .withData("peer", String.valueOf(state.peer()));
        databases.forEach((db, up) -> r.withData(db, up ? "up" : "down"));
        return r.build();
    }

    /** The rule above, apart from the server so that it is tested alone. */
    static boolean ready(String role, Map<String, Boolean> databases, String ownDatabase, boolean strict) {
        return switch (role) {
            case "primary" -> strict ? !databases.containsValue(false) : databases.containsValue(true);
            case "backup" -> Boolean.TRUE.equals(databases.get(ownDatabase));
            default -> false;
        };
    }

    private static boolean answers(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            s.execute("select 1");
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
