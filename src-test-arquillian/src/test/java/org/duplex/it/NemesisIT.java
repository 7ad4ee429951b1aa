package org.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The short Jepsen-style suite: {@code ./duplex nemesis} on separate hosts (network namespaces) with a few
 * quick scenarios under a load of reservations and holds, and every property of the history checker (the hold
 * ones included), verify and the return to sync asserted for each from the report it writes; exit 0 when all pass. A plain JUnit test, not an Arquillian one: the launcher starts and
 * stops its own cluster, on a home, ports, namespace prefix and subnet of its own (apart from the
 * Arquillian suite's, the smoke test's and a developer's {@code ./duplex up --hosts}).
 *
 * <p>CI runs as root; where network namespaces are not available this test fails and says why, it does
 * not skip.
 */
class NemesisIT {

    /** Quick scenarios: the nodes cut from each other, a split with the witness on the backup's side, the witness cut off. */
    static final List<String> SCENARIOS = List.of("nodes-split", "split-witness-b", "witness-isolated");
    static final int SECONDS = 20;
    /** Holds in the load: a fifth of the requests, 20 s each (some lapse during the run, some are confirmed). */
    static final int HOLD_PERCENT = 20;
    static final int HOLD_SECONDS = 20;
    /** The checker's properties every scenario must pass, the hold ones (docs/holds.md) included. */
    static final List<String> PROPERTIES = List.of("lost", "doubled", "refused-present", "unknown-at-most-once",
            "accounting", "identical", "no-prepared", "one-writer-per-epoch", "holds-kept", "confirm-applied",
            "never-oversold");

    static final Path TARGET = Path.of(System.getProperty("duplex.home", "target/duplex")).toAbsolutePath().getParent();
    static final Path HOME = TARGET.resolve("nemesis-it/cluster");
    static final Path OUT = TARGET.resolve("nemesis-it/report");
    static final String PREFIX = "dplxt";
    static final Map<String, String> ENV = Map.of(
            "DUPLEX_HOME", HOME.toString(),
            "DUPLEX_DB_A_PORT", "5503", "DUPLEX_DB_B_PORT", "5504", "DUPLEX_DB_W_PORT", "5505",
            "DUPLEX_NODE_A_OFFSET", "1500", "DUPLEX_NODE_B_OFFSET", "1600",
            "DUPLEX_HOSTS_PREFIX", PREFIX, "DUPLEX_HOSTS_NET", "198.18.3",
            "DUPLEX_BOOT_TIMEOUT", "300", "DUPLEX_FAILBACK", "auto");

    record Run(int exitCode, String output) {
    }

    static Run launcher(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("duplex.launcher", "../duplex"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(ENV);
        String wildfly = System.getProperty("duplex.wildfly.home");
        if (wildfly != null) {
            pb.environment().put("DUPLEX_WILDFLY_HOME", wildfly);
        }
        Files.createDirectories(HOME.getParent());
        // to a file, not a pipe: processes the launcher starts must not hold our end open
        Path out = HOME.getParent().resolve(args[0] + ".out");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            fail("./duplex " + String.join(" ", args) + " did not finish within " + timeoutSeconds + " s:\n"
                    + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    static String sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out + (p.exitValue() == 0 ? "" : "(exit " + p.exitValue() + ")");
    }

    @BeforeAll
    static void separateHostsAreAvailable() throws Exception {
        String uid = sh("id -u").trim();
        assertEquals("0", uid, "the nemesis suite needs root (network namespaces, nftables); CI runs as root, this run "
                + "does not: run mvn -B verify as root");
        String netns = sh("ip netns list > /dev/null && command -v nft > /dev/null && echo ok");
        assertTrue(netns.startsWith("ok"), "the nemesis suite needs ip netns (iproute2) and nft (nftables): " + netns);
        Run setup = launcher(300, "setup", "--fresh", "--hosts");
        assertEquals(0, setup.exitCode(), "./duplex setup --fresh --hosts failed:\n" + setup.output());
    }

    @AfterAll
    static void nothingIsLeftBehind() throws Exception {
        Run down = launcher(300, "down");
        assertEquals(0, down.exitCode(), down.output());
        assertEquals("", sh("ip netns list | grep '^" + PREFIX + "-' || true").trim(), "a namespace was left behind");
        assertEquals("", sh("nft list tables | grep '" + PREFIX + "_nemesis' || true").trim(), "an nft table was left behind");
    }

    @Test
    void everyPropertyHoldsInEachQuickScenario() throws Exception {
        Run run = launcher(900, "nemesis", "--seconds", String.valueOf(SECONDS),
                "--scenario", String.join(",", SCENARIOS), "--out", OUT.toString(),
                "--hold-percent", String.valueOf(HOLD_PERCENT), "--hold-seconds", String.valueOf(HOLD_SECONDS));

        Path results = OUT.resolve("results.json");
        assertTrue(Files.exists(results), "no results.json; the nemesis said:\n" + run.output());
        JsonArray all;
        try (JsonReader r = Json.createReader(new StringReader(Files.readString(results, StandardCharsets.UTF_8)))) {
            all = r.readArray();
        }
        assertEquals(SCENARIOS, all.getValuesAs(JsonObject.class).stream().map(o -> o.getString("scenario")).toList());
        List<String> failures = new ArrayList<>();
        for (JsonObject s : all.getValuesAs(JsonObject.class)) {
            String name = s.getString("scenario");
            if (!"pass".equals(s.getString("status"))) {
                failures.add(name + ": " + s.getString("status") + " (" + s.getString("reason", "") + ")");
                continue;
            }
            assertTrue(s.getInt("faultCount") >= 1, name + " injected no fault");
            assertTrue(s.getJsonNumber("acknowledged").longValue() > 0, name + " acknowledged nothing");
            JsonObject verdicts = s.getJsonObject("check").getJsonObject("verdicts");
            for (String property : PROPERTIES) {
                assertTrue(verdicts.containsKey(property), name + ": the checker judged no " + property);
                assertEquals(JsonValue.TRUE, verdicts.getJsonObject(property).get("pass"), name + ": " + property);
            }
            // the holds were read after the heal and judged: the load placed some, and each is accounted for
            assertTrue(s.getBoolean("holdsRead"), name + ": the holds were not read from the primary");
            assertTrue(Files.exists(OUT.resolve("holds-" + name + ".json")), name + ": holds-" + name + ".json");
            JsonObject kept = verdicts.getJsonObject("holds-kept").getJsonObject("counts");
            long holds = kept.getJsonNumber("acknowledged").longValue();
            assertTrue(holds > 0, name + " acknowledged no hold");
            long fates = 0;
            for (String fate : List.of("live", "confirmed", "released", "expired")) {
                fates += kept.getJsonNumber(fate).longValue();
            }
            assertEquals(holds, fates, name + ": every acknowledged hold is live, confirmed, released or expired: " + kept);
            assertTrue(s.getBoolean("verify"), name + ": verify");
            assertTrue(s.getBoolean("inSync"), name + ": back in sync");
            assertTrue(Files.size(OUT.resolve("timeline-" + name + ".png")) > 0, name + ": timeline chart");
        }
        assertTrue(failures.isEmpty(), "scenarios failed:\n  " + failures.stream().collect(Collectors.joining("\n  "))
                + "\n" + Files.readString(OUT.resolve("report.md"), StandardCharsets.UTF_8));
        assertEquals(0, run.exitCode(), run.output());
        String report = Files.readString(OUT.resolve("report.md"), StandardCharsets.UTF_8);
        for (String name : SCENARIOS) {
            assertTrue(report.contains("| " + name + " |"), "report.md has a row for " + name);
        }
        assertTrue(report.contains("| holds lost |"), "report.md has the holds column");
    }

    /** A bad command line is a usage error (exit 2, the usage on stderr) before anything is run. */
    @Test
    void aBadCommandLineIsAUsageError() throws Exception {
        for (String[] args : List.of(new String[] {"nemesis", "--seconds", "5"}, new String[] {"nemesis", "--scenario", "nope"},
                new String[] {"nemesis", "--hold-percent", "101"}, new String[] {"nemesis", "--bogus"})) {
            Run run = launcher(30, args);
            assertEquals(2, run.exitCode(), String.join(" ", args) + ":\n" + run.output());
            assertTrue(run.output().contains("usage: ./duplex nemesis"), String.join(" ", args) + ":\n" + run.output());
        }
    }
}
