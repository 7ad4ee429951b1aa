package org.duplex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The runner's command line up to the point where it would reach the cluster: help, usage errors, exit codes. */
class BenchCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(Map<String, String> env, String... args) {
        CommandLine cl = new CommandLine(new BenchCommand(env));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void helpNamesTheOptionsTheLauncherPassesAndThePartsAndExitsZero() {
        assertEquals(0, execute(Map.of(), "--help"));
        for (String text : new String[] {"--quick", "--parts", "--out", "--launcher", "--wildfly", "--stock",
                "throughput,", "switchover, catchup, holds"}) {
            assertTrue(out.toString().contains(text), text + " missing from\n" + out);
        }
    }

    @Test
    void anUnknownPartIsAUsageError() {
        assertEquals(2, execute(Map.of("DUPLEX_HOME", "/nonexistent"), "--wildfly", "/w", "--parts", "throughput,latency"));
        assertTrue(err.toString().contains("unknown part 'latency'"), err.toString());
    }

    @Test
    void withoutWildflyOrDuplexHomeItIsAUsageError() {
        assertEquals(2, execute(Map.of("DUPLEX_HOME", "/nonexistent"), "--quick"));
        assertTrue(err.toString().contains("--wildfly"), err.toString());
        assertEquals(2, execute(Map.of(), "--wildfly", "/w", "--parts", "hung"));
        assertTrue(err.toString().contains("DUPLEX_HOME is not set"), err.toString());
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertEquals(2, execute(Map.of("DUPLEX_HOME", "/nonexistent"), "--wildfly", "/w", "--fast"));
    }
}
