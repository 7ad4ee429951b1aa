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
 *   <li>{@code primary}: ready while it can commit a write, that is while the stores of a write
 *       majority answer (DESIGN.md, "Rules that keep data safe"): both data databases, or under
 *       {@code nofail} one data database and the witness {@code db-w} (degraded mode). Under
 *       {@code strict} writes are refused unless both data databases answer, and readiness says the same;</li>
 *   <li>{@code backup}: ready while its own database answers (reads are served from it, and a promotion
 *       needs it);</li>
 *   <li>a node whose detector has no role yet (booting, or no store answered it) is not ready.</li>
 * </ul>
 * The data carries the role, the primary, the epoch, the mode, the peer, each store's state
 * ({@code up}/{@code down}) and a {@code reason} sentence, so that an operator's {@code curl} also
 * tells why. Each store is asked {@code select 1} with a 2 s query timeout (the datasources' own connect
 * and login timeouts bound the rest), so a hung store makes the check slow by seconds, never stuck.
 */
@Readiness
@ApplicationScoped
public class DuplexReadiness implements HealthCheck {

    /** The verdict and the sentence that explains it. */
    record Verdict(boolean ready, String reason) {
    }

    @Resource(lookup = "java:jboss/datasources/duplex-db-a")
    private DataSource dbA;

    @Resource(lookup = "java:jboss/datasources/duplex-db-b")
    private DataSource dbB;

    @Resource(lookup = "java:jboss/datasources/duplex-db-w")
    private DataSource dbW;

    @Override
    public HealthCheckResponse call() {
        NodeState state = NodeState.current();
        Map<String, Boolean> stores = new LinkedHashMap<>();
        stores.put("db-a", answers(dbA));
        stores.put("db-b", answers(dbB));
        stores.put("db-w", answers(dbW));
        String own = System.getProperty("duplex.own.database", "db-a");
        boolean strict = "strict".equalsIgnoreCase(System.getProperty("duplex.replication.policy", "nofail").trim());
        Verdict verdict = ready(state.role(), stores, own, strict);
        HealthCheckResponseBuilder r = HealthCheckResponse.named("duplex")
                .status(verdict.ready())
                .withData("node", state.node())
                .withData("role", state.role())
                .withData("primary", String.valueOf(state.primary()))
                .withData("epoch", state.epoch())
                .withData("mode", String.valueOf(state.mode()))
                .withData("peer", String.valueOf(state.peer()));
        stores.forEach((db, up) -> r.withData(db, up ? "up" : "down"));
        return r.withData("reason", verdict.reason()).build();
    }

    /**
     * The rule above, apart from the server so that it is tested alone.
     *
     * @param role        the detector's role for this node: {@code primary}, {@code backup} or anything else (no role)
     * @param stores      whether each store answered: {@code db-a}, {@code db-b}, {@code db-w} (a missing one counts as down)
     * @param ownDatabase this node's own data database ({@code duplex.own.database})
     * @param strict      whether the replication policy is {@code strict}
     * @return ready or not, and why
     */
    static Verdict ready(String role, Map<String, Boolean> stores, String ownDatabase, boolean strict) {
        boolean a = up(stores, "db-a");
        boolean b = up(stores, "db-b");
        boolean w = up(stores, "db-w");
        return switch (role) {
            case "primary" -> {
                if (a && b) {
                    yield new Verdict(true, "primary: both data databases answer");
                }
                if (strict) {
                    yield new Verdict(false, "primary under strict: " + (a ? "db-b" : b ? "db-a" : "db-a and db-b")
                            + " down, writes are refused (replica-unavailable)");
                }
                if ((a || b) && w) {
                    yield new Verdict(true, "primary, degraded: " + (a ? "db-a" : "db-b") + " and the witness db-w answer");
                }
                yield new Verdict(false, "primary without a write majority: only " + answering(stores)
                        + " of db-a, db-b, db-w answer" + (a || b ? "" : " (no data database)") + ", writes are refused");
            }
            case "backup" -> up(stores, ownDatabase)
                    ? new Verdict(true, "backup: its own database " + ownDatabase + " answers")
                    : new Verdict(false, "backup: its own database " + ownDatabase + " does not answer");
            default -> new Verdict(false, "no role yet: the detector has not read a majority of the stores");
        };
    }

    private static boolean up(Map<String, Boolean> stores, String store) {
        return Boolean.TRUE.equals(stores.get(store));
    }

    private static String answering(Map<String, Boolean> stores) {
        String up = String.join(", ", stores.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList());
        return up.isEmpty() ? "none" : up;
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
