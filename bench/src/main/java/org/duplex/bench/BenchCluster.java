package org.duplex.bench;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.duplex.client.ClientConfig;
import org.duplex.client.DuplexClient;
import org.duplex.client.TrustedCa;

/**
 * The benchmark's cluster, the one {@code ./duplex bench} brought up under its own DUPLEX_HOME: the
 * launcher for faults, JDBC for counting rows, HTTP for the detectors' view, jboss-cli for settings.
 */
final class BenchCluster {

    private final Path launcher;
    private final Path home;
    private final Path wildflyHome;
    private final Properties topology = new Properties();
    private final HttpClient http;

    BenchCluster(Path launcher, Path home, Path wildflyHome) throws IOException {
        this.launcher = launcher;
        this.home = home;
        this.wildflyHome = wildflyHome;
        try (var in = Files.newBufferedReader(home.resolve("topology.env"))) {
            topology.load(in);
        }
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
        if (tls()) {
            SSLContext trust = TrustedCa.sslContext(caCertificate());
            builder.sslContext(trust);
            // the bench talks to its own cluster only; the single-database baseline's naming context (WildFly's
            // client, no Duplex code) takes the JVM's default SSLContext for remote+https
            SSLContext.setDefault(trust);
        }
        this.http = builder.build();
    }

    /** Whether the nodes serve TLS (DUPLEX_TLS as setup recorded it; on unless set up with off). */
    boolean tls() {
        return !"off".equals(topology.getProperty("DUPLEX_TLS", "on").trim());
    }

    /** The PEM file of the CA that signed the node certificates. */
    Path caCertificate() {
        return home.resolve("tls").resolve("ca.pem");
    }

    /** The PKCS12 trust store of the same CA, for clients that take the JDK's trust store properties. */
    Path trustStore() {
        return home.resolve("tls").resolve("duplex-ca.p12");
    }

    /** The node's web base: its REST API and heartbeat. */
    String webBase(String node) {
        return (tls() ? "https" : "http") + "://" + topology.getProperty("DUPLEX_HOST") + ":" + (8080 + offset(node));
    }

    int offset(String node) {
        return Integer.parseInt(topology.getProperty(node.equals("node-a") ? "DUPLEX_NODE_A_OFFSET" : "DUPLEX_NODE_B_OFFSET"));
    }

    /** The node's remote EJB and naming URL. */
    String remoteUrl(String node) {
        return "remote+" + webBase(node);
    }

    /** A file of the cluster's generated secrets, e.g. {@code client-password}. */
    Path secret(String name) {
        return home.resolve("secrets").resolve(name);
    }

    DuplexClient client(long deadlineMs) throws IOException {
        return new DuplexClient(ClientConfig.load(home.resolve("client.properties")).withDeadlineMs(deadlineMs));
    }

    DuplexClient admin() throws IOException {
        return new DuplexClient(ClientConfig.load(home.resolve("admin-client.properties")));
    }

    /** Runs {@code ./duplex args...} against the bench cluster; fails on a non-zero exit. */
    String launcher(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("./duplex " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    /** Runs one jboss-cli command against a node (local authentication). */
    void cli(String node, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(wildflyHome.resolve("bin/jboss-cli.sh").toString(), "--connect",
                "--controller=" + topology.getProperty("DUPLEX_HOST") + ":" + (9990 + offset(node)), "--command=" + command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jboss-cli " + command + " on " + node + " failed:\n" + out);
        }
    }

    /** The node's detector heartbeat (200, or 503 while it reports itself unhealthy), or null when it does not answer or not with JSON. */
    Heartbeat heartbeat(String node) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(webBase(node) + "/duplex/api/heartbeat"))
                    .timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            // 503 is a heartbeat too (the node reports itself unhealthy, with its reason and its figures)
            return r.statusCode() == 200 || r.statusCode() == 503 ? Heartbeat.read(r.body()) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    Connection jdbc(String database) throws SQLException, IOException {
        Properties p = new Properties();
        p.setProperty("user", "duplex");
        p.setProperty("password", Files.readString(secret("db-password")).trim());
        p.setProperty("connectTimeout", "2");
        String port = topology.getProperty(database.equals("db-a") ? "DUPLEX_DB_A_PORT" : "DUPLEX_DB_B_PORT");
        return DriverManager.getConnection("jdbc:postgresql://" + topology.getProperty("DUPLEX_HOST") + ":" + port + "/duplex", p);
    }

    long count(String database, String sql, Object... args) throws SQLException, IOException {
        try (Connection c = jdbc(database); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** "primary epoch" from whichever database answers with the higher epoch, or null. */
    String[] clusterState() {
        String[] best = null;
        for (String db : List.of("db-a", "db-b")) {
            try (Connection c = jdbc(db); var s = c.createStatement();
                 ResultSet rs = s.executeQuery("select primary_node, epoch from cluster_state")) {
                rs.next();
                String[] row = {rs.getString(1), Long.toString(rs.getLong(2))};
                if (best == null || Long.parseLong(row[1]) > Long.parseLong(best[1])) {
                    best = row;
                }
            } catch (SQLException | IOException e) {
                // that database is down: the other one decides
            }
        }
        return best;
    }

    String primary() {
        String[] s = clusterState();
        return s == null ? null : s[0];
    }

    /** Polls every 10 ms until the condition holds; returns when it did, in nanoTime. */
    static long await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not " + what + " after " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
        return System.nanoTime();
    }
}
