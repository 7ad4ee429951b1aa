package org.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator's commands against the running cluster: status, the command-line client's load, verify; and
 * the launcher's contract with scripts: --help on every command, usage errors exit 2, a difference exits 3.
 */
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

        // the table's rows: every process with its state; a node with its role, detector and the binding it serves
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            JsonObject processes = reader.readObject().getJsonObject("processes");
            for (String name : List.of("node-a", "node-b", "db-a", "db-b", "db-w")) {
                assertEquals("up", processes.getJsonObject(name).getString("state"), json);
            }
            JsonObject primary = processes.getJsonObject(state[0]);
            assertEquals("primary", primary.getString("role"), json);
            assertEquals(Long.parseLong(state[1]), primary.getJsonNumber("epoch").longValue(), json);
            assertTrue(primary.getJsonObject("detector").getBoolean("healthy"), json);
            assertEquals(state[0], primary.getJsonObject("binding").getString("node"), json);
            // a store's own row may trail the majority's until the next change rewrites it
            assertTrue(processes.getJsonObject("db-w").getJsonNumber("epoch").longValue() <= Long.parseLong(state[1]), json);
            assertEquals(0, processes.getJsonObject("db-a").getInt("lag"), json);
        }
        String table = DuplexCluster.launcher("status");
        assertTrue(table.contains("| Member "), table);
        assertTrue(Pattern.compile("\\| " + state[0] + " +\\| node +\\|.*\\| up +\\| primary +\\| +" + state[1] + " \\| "
                + state[0] + "@" + state[1] + " +\\| healthy ").matcher(table).find(), table);
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
            assertEquals(3, run.exitCode(), "3: check failed\n" + run.output());
            assertTrue(run.output().contains("FAIL  resource differs"), run.output());
            assertTrue(run.output().contains("changed behind Duplex"), run.output());

            DuplexCluster.LauncherRun json = DuplexCluster.runLauncher("verify", "--json");
            assertEquals(3, json.exitCode(), json.output());
            try (JsonReader reader = Json.createReader(new StringReader(json.output()))) {
                JsonObject result = reader.readObject();
                assertFalse(result.getBoolean("identical"), json.output());
                assertTrue(result.getInt("failed") > 0, json.output());
                assertTrue(result.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                        .anyMatch(c -> !c.getBoolean("ok") && c.getString("check").startsWith("resource differs")
                                && c.getJsonArray("details").toString().contains("changed behind Duplex")), json.output());
            }
        } finally {
            DuplexCluster.update("db-b", "update resource set name = replace(name, ' (changed behind Duplex)', '')");
        }
        assertEquals(0, DuplexCluster.runLauncher("verify").exitCode());
        String identical = DuplexCluster.launcher("verify", "--json");
        assertTrue(identical.contains("\"identical\": true") && identical.contains("\"failed\": 0"), identical);
    }

    /** Every command of the dispatch answers --help with its own usage, exit 0, and touches nothing. */
    @Test
    void everyCommandAnswersHelp() throws Exception {
        String list = DuplexCluster.launcher("--help");
        for (String command : List.of("up", "status", "down", "kill", "pause", "resume", "start", "switchover", "verify",
                "check", "client", "user", "demo", "bench", "partition", "heal", "slow", "nemesis", "setup", "help")) {
            assertTrue(Pattern.compile("(?m)^  " + command + "\\b").matcher(list).find(), command + " missing in\n" + list);
            String help = DuplexCluster.launcher(command, "--help");
            // pause and resume share one usage ("usage: ./duplex pause NAME | ./duplex resume NAME")
            assertTrue(help.startsWith("usage: ./duplex ") && help.lines().findFirst().orElseThrow().contains("./duplex " + command),
                    command + " --help:\n" + help);
            assertEquals(help, DuplexCluster.launcher(command, "-h"), command + " -h");
        }
        // --help anywhere on a command that would break something breaks nothing
        DuplexCluster.launcher("kill", "node-a", "--help");
        DuplexCluster.launcher("down", "--help");
        assertTrue(DuplexCluster.launcher("status", "--json").contains("\"node-a\": \"up\""));
    }

    /** An unknown command, option or argument: the usage on stderr, exit 2, nothing done. */
    @Test
    void aBadCommandLineExitsTwo() throws Exception {
        for (List<String> args : List.<List<String>>of(List.of(), List.of("no-such-command"), List.of("kill"), List.of("kill", "node-c"),
                List.of("kill", "node-a", "node-b"), List.of("pause", "db-x"), List.of("status", "--yaml"),
                List.of("verify", "--expect"), List.of("switchover", "node-c"), List.of("down", "now"),
                List.of("bench", "--parts", "nothing"), List.of("user", "add"), List.of("slow", "node-a", "fast"))) {
            DuplexCluster.LauncherRun run = DuplexCluster.runLauncher(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), args + ":\n" + run.output());
            assertTrue(run.output().contains("usage: ./duplex"), args + ":\n" + run.output());
        }
        assertTrue(DuplexCluster.launcher("status", "--json").contains("\"node-b\": \"up\""));
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
        assertTrue(m.find(), name + " missing in " + json);
        return Long.parseLong(m.group(1));
    }
}
