package org.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The operator's commands against the running cluster: status, the command-line client's load, verify. */
class LauncherIT extends OnBothNodes {


    @Test
    void statusReportsTheClusterAsJson() throws Exception {
        String json = DuplexCluster.launcher("status", "--json");

        String[] state = DuplexCluster.rows("db-a", "select primary_node, epoch from cluster_state").get(0).split("\\|");
        assertTrue(json.contains("\"primary\": \"" + state[0] + "\""), json);
        assertTrue(json.contains("\"epoch\": " + state[1]), json);
        assertTrue(json.contains("\"mode\": \"sync\""), json);
        assertTrue(json.contains("\"node-a\": \"up\"") && json.contains("\"node-b\": \"up\""), json);
        assertTrue(json.contains("\"port\": " + Integer.getInteger("duplex.db-a.port")), json);
        assertTrue(json.contains("\"passwordFile\": \"" + DuplexCluster.home().resolve("secrets/db-password") + "\""), json);
    }

    @Test
    void loadgenAcknowledgementsAreAllInBothDatabases() throws Exception {
        DuplexCluster.launcher("client", "seed");
        Path out = DuplexCluster.home().resolve("loadgen-it.json");

        String summary = DuplexCluster.launcher("client", "loadgen", "--threads", "4", "--duration", "5",
                "--json", out.toString());

        String json = Files.readString(out);
        long acknowledged = field(json, "acknowledged");
        assertTrue(acknowledged > 0, summary);
        assertEquals(0, field(json, "errors"), summary);
        String verify = DuplexCluster.launcher("verify", "--expect", out.toString());
        assertTrue(verify.contains("= " + acknowledged + " acknowledged"), verify);
        assertTrue(verify.contains("verify: databases identical"), verify);
    }

    @Test
    void verifyFindsADifferenceAndSaysWhat() throws Exception {
        DuplexCluster.launcher("client", "seed");
        DuplexCluster.update("db-b", "update resource set name = name || ' (changed behind Duplex)'"
                + " where id = (select min(id) from resource)");
        try {
            DuplexCluster.LauncherRun run = DuplexCluster.runLauncher("verify");
            assertEquals(1, run.exitCode(), run.output());
            assertTrue(run.output().contains("FAIL  resource differs"), run.output());
            assertTrue(run.output().contains("changed behind Duplex"), run.output());
        } finally {
            DuplexCluster.update("db-b", "update resource set name = replace(name, ' (changed behind Duplex)', '')");
        }
        assertEquals(0, DuplexCluster.runLauncher("verify").exitCode());
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
        assertTrue(m.find(), name + " missing in " + json);
        return Long.parseLong(m.group(1));
    }
}
