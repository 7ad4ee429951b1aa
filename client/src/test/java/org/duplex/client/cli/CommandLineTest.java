package org.duplex.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void parsesConnectionOptionsCommandAndItsOptions() throws UsageException {
        CommandLine cl = CommandLine.parse("--url", "remote+http://h:1", "--deadline-ms=500", "reserve",
                "--resource", "room-1", "--quantity", "2", "--json", "--user", "bob");
        assertEquals("reserve", cl.command());
        assertEquals("remote+http://h:1", cl.global("url"));
        assertEquals("500", cl.global("deadline-ms"));
        assertEquals("bob", cl.global("user"));
        assertEquals("room-1", cl.option("resource"));
        assertEquals(2, cl.number("quantity", 1, 1000, 0));
        assertTrue(cl.flag("json"));
        assertNull(cl.option("client"));
        assertEquals("cli-x", cl.option("client", "cli-x"));
    }

    @Test
    void jsonTakesAFileForLoadgen() throws UsageException {
        CommandLine cl = CommandLine.parse("loadgen", "--threads", "4", "--duration", "10", "--json", "out.json");
        assertEquals("out.json", cl.option("json"));
        assertFalse(cl.flag("json"));
    }

    @Test
    void unknownOptionIsAUsageError() {
        UsageException e = assertThrows(UsageException.class,
                () -> CommandLine.parse("reserve", "--resource", "r", "--quantity", "1", "--colour", "red"));
        assertTrue(e.getMessage().contains("--colour"), e.getMessage());
        assertThrows(UsageException.class, () -> CommandLine.parse("resources", "--bogus"));
        assertThrows(UsageException.class, () -> CommandLine.parse("--resource", "r", "reserve", "--quantity", "1"));
    }

    @Test
    void unknownOrMissingCommandIsAUsageError() {
        assertThrows(UsageException.class, () -> CommandLine.parse());
        assertThrows(UsageException.class, () -> CommandLine.parse("frobnicate"));
        assertThrows(UsageException.class, () -> CommandLine.parse("list", "extra"));
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse("reserve", "--resource", "r"));
        assertTrue(e.getMessage().contains("--quantity"), e.getMessage());
        assertThrows(UsageException.class, () -> CommandLine.parse("cancel"));
        assertThrows(UsageException.class, () -> CommandLine.parse("loadgen", "--threads", "4"));
    }

    @Test
    void optionWithoutValueOrRepeatedIsAUsageError() {
        assertThrows(UsageException.class, () -> CommandLine.parse("get", "--reservation"));
        assertThrows(UsageException.class, () -> CommandLine.parse("get", "--reservation", "--json"));
        assertThrows(UsageException.class, () -> CommandLine.parse("get", "--reservation", "a", "--reservation", "b"));
        assertThrows(UsageException.class, () -> CommandLine.parse("list", "--json=yes"));
    }

    @Test
    void loadgenBoundsAreChecked() throws UsageException {
        DuplexCli.checkOptions(CommandLine.parse("loadgen", "--threads", "64", "--duration", "3600"));
        DuplexCli.checkOptions(CommandLine.parse("loadgen", "--threads", "1", "--duration", "1"));
        DuplexCli.checkOptions(CommandLine.parse("loadgen", "--threads", "1", "--duration", "1",
                "--cancel-percent", "100", "--history", "h.jsonl"));
        for (String[] args : new String[][] {
                {"loadgen", "--threads", "0", "--duration", "10"},
                {"loadgen", "--threads", "65", "--duration", "10"},
                {"loadgen", "--threads", "4", "--duration", "0"},
                {"loadgen", "--threads", "4", "--duration", "3601"},
                {"loadgen", "--threads", "four", "--duration", "10"},
                {"loadgen", "--threads", "4", "--duration", "10", "--quantity", "0"},
                {"loadgen", "--threads", "4", "--duration", "10", "--cancel-percent", "101"},
                {"loadgen", "--threads", "4", "--duration", "10", "--cancel-percent", "-1"}}) {
            CommandLine cl = CommandLine.parse(args);
            assertThrows(UsageException.class, () -> DuplexCli.checkOptions(cl), String.join(" ", args));
        }
    }

    @Test
    void cliExitsWithTwoAndPrintsUsageOnStderr() {
        assertEquals(DuplexCli.USAGE, run("loadgen", "--threads", "100", "--duration", "10").code);
        assertEquals(DuplexCli.USAGE, run("reserve", "--quantity", "1").code);
        Outcome unknown = run("reserve", "--resource", "r", "--quantity", "1", "--nope", "x");
        assertEquals(DuplexCli.USAGE, unknown.code);
        assertTrue(unknown.err.contains("--nope"), unknown.err);
        assertTrue(unknown.err.contains("usage:"), unknown.err);
        assertEquals("", unknown.out);
        assertEquals(DuplexCli.USAGE, run("--deadline-ms", "-5", "resources").code);
    }

    @Test
    void noUserConfiguredIsAConfigurationError() {
        Outcome o = run("resources");
        assertEquals(DuplexCli.USAGE, o.code);
        assertTrue(o.err.contains("user"), o.err);
    }

    @Test
    void helpGoesToStdout() {
        Outcome o = run("--help");
        assertEquals(DuplexCli.OK, o.code);
        assertTrue(o.out.contains("loadgen --threads N --duration SECONDS"), o.out);
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new DuplexCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
