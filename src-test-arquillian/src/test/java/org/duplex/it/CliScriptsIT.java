package org.duplex.it;

import static org.duplex.it.FailoverIT.assertAcknowledgedExactlyOnceInBothDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.PrimaryBinding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each admin script of {@code cli-scripts/} run with jboss-cli against a live node, and its effect
 * checked where it shows: the binding, the detector's role and settings (readiness data and /metrics),
 * the deployment, and clients under load that must see no error.
 */
class CliScriptsIT extends OnBothNodes {

    private DuplexClient client;
    private String resource;

    @BeforeEach
    void connect() throws Exception {
        client = DuplexCluster.client("duplex-client", 30_000);
        resource = DuplexCluster.freshResource("cli", 1_000_000);
        DuplexCluster.primaryIs("node-a");
    }

    @AfterEach
    void putBack() throws Exception {
        client.close();
        for (String node : NODES) {
            startIfNeeded(node);
            if (!DuplexCluster.serving(node)) {
                script(node, "deploy.cli", "duplex.ear=" + System.getProperty("duplex.ear"));
            }
        }
        Poll.until(Duration.ofSeconds(60), "both nodes serving", () -> DuplexCluster.serving("node-a") && DuplexCluster.serving("node-b"));
    }

    @Test
    void showRoleNamesEachNodesRoleAndTheBinding() throws Exception {
        String binding = new PrimaryBinding("node-a", DuplexCluster.nodeUrl("node-a"), client.primary().epoch()).format();
        String onA = script("node-a", "show-role.cli");
        String onB = script("node-b", "show-role.cli");
        assertTrue(onA.contains(binding) && onB.contains(binding), "both nodes bind '" + binding + "':\n" + onA + onB);
        assertTrue(onA.contains("\"role\" => \"primary\"") && onA.contains("\"node\" => \"node-a\""), onA);
        assertTrue(onB.contains("\"role\" => \"backup\"") && onB.contains("\"node\" => \"node-b\""), onB);
    }

    @Test
    void setDetectorChangesIntervalTimeoutAndThresholdAndRefusesNonsense() throws Exception {
        try {
            changeDetectorAndRefuseNonsense();
        } finally {
            for (String node : NODES) {
                script(node, "set-detector.cli", "duplex.detector.interval.ms=200",
                        "duplex.detector.timeout.ms=300", "duplex.detector.misses=3");
            }
        }
        for (String node : NODES) {
            Poll.until(Duration.ofSeconds(10), node + " back to 200 / 300 / 3", () -> detector(node).equals(List.of(200.0, 300.0, 3.0)));
        }
    }

    private void changeDetectorAndRefuseNonsense() throws Exception {
        for (String node : NODES) {
            script(node, "set-detector.cli", "duplex.detector.interval.ms=400",
                    "duplex.detector.timeout.ms=500", "duplex.detector.misses=5");
        }
        for (String node : NODES) {
            Poll.until(Duration.ofSeconds(10), node + " applying 400 / 500 / 5", () -> detector(node).equals(List.of(400.0, 500.0, 5.0)));
        }
        // a threshold of 0 would promote on no evidence: refused, the previous settings stay
        script("node-b", "set-detector.cli", "duplex.detector.interval.ms=400",
                "duplex.detector.timeout.ms=500", "duplex.detector.misses=0");
        Poll.until(Duration.ofSeconds(10), "node-b logging the refusal", () -> serverLog("node-b")
                .contains("detector settings refused, keeping the previous ones: duplex.detector.misses"));
        assertEquals(List.of(400.0, 500.0, 5.0), detector("node-b"));
        assertEquals("backup", DuplexCluster.role("node-b"), "nothing else changed");
    }

    @Test
    void drainHandsOverUnderLoadAndTakesNoControlUntilUndrained() throws Exception {
        try (ClientLoad load = new ClientLoad(client, resource, 4).start()) {
            drainAndUndrainUnder(load);
        } finally {
            script("node-a", "undrain.cli");
        }
    }

    private void drainAndUndrainUnder(ClientLoad load) throws Exception {
        load.awaitMoreAcknowledged(100, Duration.ofSeconds(30));
        script("node-a", "drain.cli");
        Poll.until(Duration.ofSeconds(20), "node-b primary after node-a was drained",
                () -> "primary".equals(DuplexCluster.role("node-b")) && "backup".equals(DuplexCluster.role("node-a")));
        assertEquals(1.0, awaitMetric("node-a", "duplex_drained", 1.0));
        load.awaitMoreAcknowledged(100, Duration.ofSeconds(30));

        // an admin's switchover request to the drained node is refused: node-b's detector asks node-a, which
        // declines, and node-b then binds itself again
        script("node-b", "switchover.cli", "duplex.switchover.to=node-a",
                "duplex.switchover.url=" + DuplexCluster.nodeUrl("node-a"));
        Poll.until(Duration.ofSeconds(20), "node-b bound as primary again",
                () -> PrimaryBinding.parse(DuplexCluster.boundPrimary("node-b")).node().equals("node-b"));
        assertEquals("backup", DuplexCluster.role("node-a"), "a drained node takes no control");

        script("node-a", "undrain.cli");
        assertEquals(0.0, awaitMetric("node-a", "duplex_drained", 0.0));
        script("node-b", "switchover.cli", "duplex.switchover.to=node-a",
                "duplex.switchover.url=" + DuplexCluster.nodeUrl("node-a"));
        Poll.until(Duration.ofSeconds(20), "node-a primary once back in rotation", () -> "primary".equals(DuplexCluster.role("node-a")));
        load.awaitMoreAcknowledged(100, Duration.ofSeconds(30));
        load.close();
        assertEquals(List.of(), load.errors(), "draining is planned: no caller may see an error");
        assertAcknowledgedExactlyOnceInBothDatabases(load);
    }

    @Test
    void undeployAndDeployTheBackupUnderLoad() throws Exception {
        try (ClientLoad load = new ClientLoad(client, resource, 2).start()) {
            load.awaitMoreAcknowledged(50, Duration.ofSeconds(30));
            double downBefore = DuplexCluster.metric("node-a", "duplex_cluster_events_total", "kind=\"backup-down\"");
            String out = script("node-b", "undeploy.cli");
            assertTrue(!DuplexCluster.serving("node-b"), "node-b no longer serves after:\n" + out);
            Poll.until(Duration.ofSeconds(20), "node-a seeing its backup down",
                    () -> DuplexCluster.metric("node-a", "duplex_cluster_events_total", "kind=\"backup-down\"") > downBefore);
            load.awaitMoreAcknowledged(50, Duration.ofSeconds(30));

            out = script("node-b", "deploy.cli", "duplex.ear=" + System.getProperty("duplex.ear"));
            assertTrue(out.contains("OK"), out);
            Poll.until(Duration.ofSeconds(60), "node-b serving as backup again", () -> "backup".equals(DuplexCluster.role("node-b")));
            assertEquals(PrimaryBinding.parse(DuplexCluster.boundPrimary("node-a")).format(), DuplexCluster.boundPrimary("node-b"));
            load.awaitMoreAcknowledged(50, Duration.ofSeconds(30));
            load.close();
            assertEquals(List.of(), load.errors(), "the backup's redeployment is invisible to clients");
            assertAcknowledgedExactlyOnceInBothDatabases(load);
        }
        assertEquals("primary", DuplexCluster.role("node-a"));
    }

    /**
     * Runs a script of {@code cli-scripts/} against a node as an operator does: a jboss-cli.sh process of
     * the provisioned server, {@code --connect} to the node's management port (local authentication,
     * JBOSS-LOCAL-USER), the real file, and {@code -Dname=value} properties resolved in it; its output, the
     * test failing when it exits non-zero. The other tests reach the management model in process
     * ({@link NodeManagement}); only here is a script itself under test.
     */
    private static String script(String node, String script, String... properties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("duplex.wildfly.home"), "bin", "jboss-cli.sh").toString(), "--connect",
                "--controller=127.0.0.1:" + Integer.getInteger("duplex." + node + ".management.port"),
                "--resolve-parameter-values", "--file=" + Path.of(System.getProperty("duplex.cli.scripts"), script)));
        for (String p : properties) {
            command.add("-D" + p);
        }
        // the output goes to a file, so that the wait below has its deadline even if jboss-cli hangs
        Path output = Files.createTempFile("jboss-cli", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("JBOSS_HOME", System.getProperty("duplex.wildfly.home"));
        Process p = pb.start();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        if (!exited || p.exitValue() != 0) {
            fail(script + " on " + node + (exited ? " exited " + p.exitValue() : " did not finish within 60 s") + ":\n" + out);
        }
        return out;
    }

    /** interval, timeout and misses as the node's detector applies them. */
    private static List<Double> detector(String node) throws Exception {
        return List.of(DuplexCluster.metric(node, "duplex_detector_interval_ms", ""),
                DuplexCluster.metric(node, "duplex_detector_timeout_ms", ""),
                DuplexCluster.metric(node, "duplex_detector_misses", ""));
    }

    private static double awaitMetric(String node, String name, double value) throws Exception {
        Poll.until(Duration.ofSeconds(10), name + " = " + value + " on " + node, () -> DuplexCluster.metric(node, name, "") == value);
        return DuplexCluster.metric(node, name, "");
    }

    private static String serverLog(String node) throws Exception {
        return java.nio.file.Files.readString(DuplexCluster.home().resolve("nodes").resolve(node).resolve("log/server.log"));
    }
}
