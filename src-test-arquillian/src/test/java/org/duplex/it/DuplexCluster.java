package org.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.duplex.client.ClientConfig;
import org.duplex.client.DuplexClient;
import org.duplex.client.TrustedCa;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.ResourceView;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;

/**
 * The suite's view of the cluster that `duplex setup` made and Arquillian started: the real
 * duplex.ear, clients configured like users' clients, direct JDBC to both databases, and the
 * launcher for fault injection. Everything is located through the system properties the pom sets.
 */
final class DuplexCluster {

    static final List<String> DATABASES = List.of("db-a", "db-b");
    /** The three epoch stores: the data databases and the witness db-w. */
    static final List<String> STORES = List.of("db-a", "db-b", "db-w");

    /** Every row of the tables the service writes, in a fixed order: two equal snapshots mean equal data. */
    private static final Map<String, String> TABLES = Map.of(
            "resource", "select id, name, capacity, reserved, version from resource order by id",
            "reservation", "select id, client_id, operation_id, resource_id, quantity, status, created_at, epoch, node,"
                    + " cancel_operation_id, cancelled_at from reservation order by id",
            "cluster_state", "select id, epoch, primary_node, changed_at from cluster_state order by id",
            "inventory_operation", "select id, client_id, operation_id, kind, resource_id, capacity, expected_version, name,"
                    + " reserved, version, applied_at, epoch, node from inventory_operation order by id");

    /** Whether the suite's nodes serve TLS: the mode {@code ./duplex setup} recorded (DUPLEX_TLS, on by default). */
    private static final boolean TLS = readTlsMode();
    private static final HttpClient HTTP = http();

    private DuplexCluster() {
    }

    static Path home() {
        return Path.of(System.getProperty("duplex.home"));
    }

    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("duplex.ear")));
    }

    static String nodeUrl(String node) {
        return "remote+" + httpBase(node);
    }

    /** The node's web base (REST, dashboard, heartbeat): https when the suite runs with TLS. */
    static String httpBase(String node) {
        return (TLS ? "https" : "http") + "://127.0.0.1:" + (8080 + Integer.getInteger("duplex." + node + ".offset"));
    }

    static boolean tls() {
        return TLS;
    }

    private static boolean readTlsMode() {
        try {
            Properties topology = new Properties();
            try (java.io.Reader r = Files.newBufferedReader(home().resolve("topology.env"))) {
                topology.load(r);
            }
            return !"off".equals(topology.getProperty("DUPLEX_TLS", "on").trim());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the suite's home was not set up by ./duplex setup", e);
        }
    }

    /** The CA the suite's node certificates were signed by, as ./duplex setup made it. */
    static Path caCertificate() {
        return home().resolve("tls").resolve("ca.pem");
    }

    /**
     * A TLS context trusting the suite's CA only (with TLS off: the JDK's default, never used for a handshake).
     */
    static SSLContext tlsContext() {
        try {
            return TLS ? TrustedCa.sslContext(caCertificate()) : SSLContext.getDefault();
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no TLS context for the suite: " + e, e);
        }
    }

    /** An HTTP client for the nodes' web ports: it trusts the suite's CA; connecting takes at most 2 s. */
    static HttpClient http() {
        return HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).sslContext(tlsContext()).build();
    }

    /**
     * The node's heartbeat as its fault detector answers it (200 healthy, 503 unhealthy: the node serves
     * either way), or null when it does not answer.
     */
    static String heartbeat(String node) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(httpBase(node) + "/duplex/api/heartbeat"))
                    .timeout(java.time.Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 || r.statusCode() == 503 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The node's management interface over HTTP, where /health and /metrics answer. */
    static String managementBase(String node) {
        return "http://127.0.0.1:" + Integer.getInteger("duplex." + node + ".management.port");
    }

    /**
     * One sample of the Prometheus text at the node's /metrics: the first line of that name whose labels
     * contain {@code labels}; 0 when there is none (a counter not counted yet).
     */
    static double metric(String node, String name, String labels) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(managementBase(node) + "/metrics"))
                .timeout(java.time.Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?m)^" + java.util.regex.Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(r.body());
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    static boolean serving(String node) {
        return heartbeat(node) != null;
    }

    /** The role a node's detector holds now ({@code primary}, {@code backup}), or null if it does not answer. */
    static String role(String node) {
        String beat = heartbeat(node);
        if (beat == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"role\"\\s*:\\s*\"(\\w+)\"").matcher(beat);
        return m.find() ? m.group(1) : null;
    }

    /** The value of reservation/primary on one node, read through its management port (see {@link NodeManagement}). */
    static String boundPrimary(String node) throws IOException, InterruptedException {
        return NodeManagement.boundPrimary(node);
    }

    /** A new resource of this capacity, created by duplex-admin, for one test's own load. */
    static String freshResource(String prefix, long capacity) throws Exception {
        String id = prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        createResource(id, "Test room " + id, capacity);
        return id;
    }

    /** Makes {@code node} the primary (a planned switchover when it is not) and waits until its detector says so. */
    static void primaryIs(String node) throws Exception {
        if (!"primary".equals(role(node))) {
            launcher("switchover", node);
        }
        Poll.until(java.time.Duration.ofSeconds(20), node + " primary", () -> "primary".equals(role(node)));
    }

    /** A client as `./duplex client` would make it, with the given retry deadline. */
    static DuplexClient client(String user, long deadlineMs) throws IOException {
        String file = user.equals("duplex-admin") ? "admin-client.properties" : "client.properties";
        return new DuplexClient(ClientConfig.load(home().resolve(file)).withDeadlineMs(deadlineMs));
    }

    /** Creates a resource as the admin user (role admin): the clients the tests load the cluster with may not. */
    static ResourceView createResource(String id, String name, long capacity) throws IOException, DuplexException {
        try (DuplexClient admin = client("duplex-admin", 30_000)) {
            return admin.createResource(id, name, capacity);
        }
    }

    static Connection jdbc(String database) throws SQLException, IOException {
        Properties p = new Properties();
        p.setProperty("user", "duplex");
        p.setProperty("password", Files.readString(home().resolve("secrets/db-password")).trim());
        p.setProperty("connectTimeout", "3");
        // a paused (SIGSTOPped) store must not hang a test: login and every read have deadlines too
        p.setProperty("loginTimeout", "3");
        p.setProperty("socketTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                + Integer.getInteger("duplex." + database + ".port") + "/duplex", p);
    }

    /** The rows a query returns in one database, each as its columns joined by '|'. */
    static List<String> rows(String database, String sql, Object... args) throws SQLException, IOException {
        try (Connection c = jdbc(database); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                List<String> rows = new ArrayList<>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= columns; i++) {
                        row.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    rows.add(row.toString());
                }
                return rows;
            }
        }
    }

    static long count(String database, String sql, Object... args) throws SQLException, IOException {
        return Long.parseLong(rows(database, sql, args).get(0));
    }

    static int update(String database, String sql, Object... args) throws SQLException, IOException {
        try (Connection c = jdbc(database); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    /** Every row of resource, reservation, cluster_state and inventory_operation in one database. */
    static Map<String, List<String>> snapshot(String database) throws SQLException, IOException {
        Map<String, List<String>> snapshot = new LinkedHashMap<>();
        for (String table : List.of("resource", "reservation", "cluster_state", "inventory_operation")) {
            snapshot.put(table, rows(database, TABLES.get(table)));
        }
        return snapshot;
    }

    /**
     * Both databases hold the same rows, the three stores the same state row, and none a prepared
     * transaction (those of a commit still in its second phase are waited for, briefly).
     */
    static void assertDatabasesIdentical() throws Exception {
        Poll.until(java.time.Duration.ofSeconds(30), "without prepared transactions in any store", () -> {
            for (String store : STORES) {
                if (count(store, "select count(*) from pg_prepared_xacts") > 0) {
                    return false;
                }
            }
            return true;
        });
        assertEquals(snapshot("db-a"), snapshot("db-b"), "db-a and db-b differ");
        String state = "select epoch, primary_node, mode, lagging from cluster_state";
        assertEquals(rows("db-a", state), rows("db-w", state), "the witness holds another state than db-a");
    }

    /** The current state's mode ({@code sync}, {@code degraded}) in the majority of the stores, polled until it is {@code mode}. */
    static void awaitMode(String mode, java.time.Duration timeout) throws Exception {
        Poll.until(timeout, "in " + mode + " mode", () -> mode.equals(currentMode()));
    }

    /** Back in sync mode with the journal replayed and nothing left prepared: the cluster a next test expects. */
    static void awaitSync(java.time.Duration timeout) throws Exception {
        Poll.until(timeout, "back in sync mode with every store answering", () -> {
            if (!"sync".equals(currentMode())) {
                return false;
            }
            for (String store : STORES) {
                if (count(store, "select count(*) from pg_prepared_xacts") > 0) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The mode of the highest-epoch state among the stores that answer (null if fewer than two do). */
    private static String currentMode() {
        long best = -1;
        String mode = null;
        int answered = 0;
        for (String store : STORES) {
            try {
                List<String> row = rows(store, "select epoch || '|' || mode from cluster_state");
                String[] parts = row.get(0).split("\\|");
                answered++;
                if (Long.parseLong(parts[0]) > best) {
                    best = Long.parseLong(parts[0]);
                    mode = parts[1];
                }
            } catch (SQLException | IOException down) {
                // a store that does not answer has no vote here
            }
        }
        return answered >= 2 ? mode : null;
    }

    /** Runs a locking query in an open transaction of {@code holder}, whose locks stay until it ends. */
    static void lockRow(Connection holder, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = holder.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeQuery().close();
        }
    }

    /** Runs the launcher against the suite's cluster and returns what it printed; fails on a non-zero exit. */
    static String launcher(String... args) throws IOException, InterruptedException {
        LauncherRun run = runLauncher(args);
        if (run.exitCode() != 0) {
            fail("./duplex " + String.join(" ", args) + " exited " + run.exitCode() + ":\n" + run.output());
        }
        return run.output();
    }

    record LauncherRun(int exitCode, String output) {
    }

    static LauncherRun runLauncher(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("duplex.launcher"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DUPLEX_HOME", home().toString());
        pb.environment().put("DUPLEX_WILDFLY_HOME", System.getProperty("duplex.wildfly.home"));
        Path out = Files.createTempFile("duplex-launcher", ".out");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("./duplex " + String.join(" ", args) + " did not finish within 300 s");
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return new LauncherRun(p.exitValue(), output);
    }
}
