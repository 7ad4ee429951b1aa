package org.duplex.it;

import static org.duplex.it.DuplexCluster.assertDatabasesIdentical;
import static org.duplex.it.FailoverIT.assertAcknowledgedExactlyOnceInBothDatabases;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.PrimaryBinding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Control going back to the preferred primary, node-a: by hand (./duplex switchover, and an admin's
 * rebind of reservation/primary as switchover.cli makes it) and automatically (failback auto after a
 * restart), under load, with no error reaching any caller.
 */
class FailbackIT extends OnBothNodes {

    private static final Logger LOG = Logger.getLogger(FailbackIT.class.getName());

    private DuplexClient client;
    private String resource;

    @BeforeEach
    void connect() throws Exception {
        client = DuplexCluster.client("duplex-client", 30_000);
        resource = DuplexCluster.freshResource("room", 1_000_000);
        DuplexCluster.primaryIs("node-a");
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        for (String node : NODES) {
            if (DuplexCluster.serving(node)) {
                NodeManagement.failback(node, "manual", 5000);
            }
        }
    }

    @Test
    void manualSwitchoversUnderLoadShowNoError() throws Exception {
        try (ClientLoad load = new ClientLoad(client, resource, 4).start()) {
            load.awaitMoreAcknowledged(100, Duration.ofSeconds(30));

            // there: the launcher asks node-b to take over
            long t0 = System.nanoTime();
            DuplexCluster.launcher("switchover", "node-b");
            LOG.info("switchover to node-b took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            // the target rebinds before it answers; the old primary's binding follows within its next round
            // (the client reads the first bootstrap URL that answers, node-a's)
            Poll.until(Duration.ofSeconds(5), "the binding read by clients names node-b",
                    () -> "node-b".equals(client.primary().node()));
            load.awaitMoreAcknowledged(100, Duration.ofSeconds(30));

            // and back: an admin rebinds reservation/primary (switchover.cli's operation; CliScriptsIT runs the
            // script itself), the detector does the rest
            NodeManagement.requestSwitchover("node-b", "node-a", DuplexCluster.nodeUrl("node-a"));
            Poll.until(Duration.ofSeconds(20), "node-a primary again", () -> "primary".equals(DuplexCluster.role("node-a")));
            load.awaitMoreAcknowledged(100, Duration.ofSeconds(30));
            load.close();

            assertEquals(List.of(), load.errors(), "a planned switchover must not surface an error");
            LOG.info("manual switchovers: longest gap between acknowledgements " + load.maxOutageMs() + " ms");
            assertAcknowledgedExactlyOnceInBothDatabases(load);
        }
        PrimaryBinding bound = PrimaryBinding.parse(DuplexCluster.boundPrimary("node-b"));
        assertEquals("node-a", bound.node());
        assertEquals(bound.format(), DuplexCluster.boundPrimary("node-a"));
        assertDatabasesIdentical();
    }

    @Test
    void autoFailbackReturnsControlToTheRestartedPreferredPrimary() throws Exception {
        try (ClientLoad load = new ClientLoad(client, resource, 4).start()) {
            load.awaitMoreAcknowledged(100, Duration.ofSeconds(30));
            killNode("node-a");
            Poll.until(Duration.ofSeconds(20), "node-b promoted", () -> "primary".equals(DuplexCluster.role("node-b")));

            startIfNeeded("node-a");
            Poll.until(Duration.ofSeconds(30), "node-a back as backup", () -> "backup".equals(DuplexCluster.role("node-a")));
            long healthy = System.nanoTime();
            NodeManagement.failback("node-a", "auto", 2000);
            Poll.until(Duration.ofSeconds(30), "node-a took control back", () -> "primary".equals(DuplexCluster.role("node-a")));
            LOG.info("failback auto: node-a primary again " + (System.nanoTime() - healthy) / 1_000_000
                    + " ms after failback was switched on (delay 2000 ms)");
            load.awaitMoreAcknowledged(100, Duration.ofSeconds(30));
            load.close();

            assertEquals(List.of(), load.errors());
            assertAcknowledgedExactlyOnceInBothDatabases(load);
        }
        assertEquals("backup", DuplexCluster.role("node-b"));
        assertDatabasesIdentical();
    }
}
