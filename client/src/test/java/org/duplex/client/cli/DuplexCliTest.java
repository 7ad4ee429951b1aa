package org.duplex.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.duplex.client.ClientConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** The duplex-client command line as picocli parses it, and the exit codes and streams of a run that sends nothing. */
class DuplexCliTest {

    @Test
    void parsesConnectionOptionsCommandAndItsOptions() throws Exception {
        ParseResult parsed = DuplexCli.parse("--url", "remote+http://h:1", "--deadline-ms=500", "reserve",
                "--resource", "room-1", "--quantity", "2", "--json", "--user", "bob");
        DuplexCli cli = (DuplexCli) parsed.commandSpec().userObject();
        ReserveCommand reserve = command(parsed, ReserveCommand.class);
        assertEquals("reserve", parsed.subcommand().commandSpec().name());
        assertEquals("remote+http://h:1", cli.urls);
        assertEquals(500L, cli.deadlineMs);
        assertEquals("bob", cli.user);
        assertEquals("room-1", reserve.resource);
        assertEquals(2, reserve.quantity);
        assertTrue(reserve.json());
        assertNull(reserve.client.clientId);
        assertNull(reserve.operation.operationId);
        // what the options make of the configuration, and the client id a request then acts for
        ClientConfig config = cli.config();
        assertEquals(List.of("remote+http://h:1"), config.bootstrap());
        assertEquals(500, config.deadlineMs());
        assertEquals("bob", config.user());
        assertEquals("bob:cli-bob", reserve.client.resolve(config));
    }

    @Test
    void holdCommandsTakeTheirOptionsAndDefaultTheDuration() throws Exception {
        HoldCommand hold = command(DuplexCli.parse("hold", "--resource", "room-1", "--quantity", "2"), HoldCommand.class);
        assertEquals("room-1", hold.resource);
        assertEquals(2, hold.quantity);
        assertEquals(600, hold.seconds);
        assertEquals(30, command(DuplexCli.parse("hold", "--resource", "r", "--quantity", "1", "--seconds", "30"),
                HoldCommand.class).seconds);
        assertEquals("h-1", command(DuplexCli.parse("confirm", "--hold", "h-1", "--operation", "o"), ConfirmCommand.class).hold.id);
        assertEquals("h-1", command(DuplexCli.parse("release", "--hold", "h-1"), ReleaseCommand.class).hold.id);
        assertEquals("c", command(DuplexCli.parse("holds", "--client", "c", "--json"), HoldsCommand.class).client.clientId);
        assertThrows(ParameterException.class, () -> DuplexCli.parse("confirm"));
        assertThrows(ParameterException.class, () -> DuplexCli.parse("hold", "--resource", "r", "--quantity", "1",
                "--seconds", "ten"));
    }

    @Test
    void jsonTakesAFileForLoadgen() {
        LoadgenCommand loadgen = command(DuplexCli.parse("loadgen", "--threads", "4", "--duration", "10", "--json", "out.json"),
                LoadgenCommand.class);
        assertEquals(Path.of("out.json"), loadgen.json);
        assertFalse(loadgen.json());
        assertEquals(1, loadgen.quantity);
        assertEquals(0, loadgen.cancelPercent);
    }

    @Test
    void unknownOptionIsAUsageError() {
        ParameterException e = assertThrows(ParameterException.class,
                () -> DuplexCli.parse("reserve", "--resource", "r", "--quantity", "1", "--colour", "red"));
        assertTrue(e.getMessage().contains("--colour"), e.getMessage());
        assertThrows(ParameterException.class, () -> DuplexCli.parse("resources", "--bogus"));
        assertThrows(ParameterException.class, () -> DuplexCli.parse("--resource", "r", "reserve", "--quantity", "1"));
    }

    @Test
    void unknownOrMissingCommandIsAUsageError() {
        assertEquals(DuplexCli.USAGE, run().code);
        assertThrows(ParameterException.class, () -> DuplexCli.parse("frobnicate"));
        assertThrows(ParameterException.class, () -> DuplexCli.parse("list", "extra"));
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        ParameterException e = assertThrows(ParameterException.class, () -> DuplexCli.parse("reserve", "--resource", "r"));
        assertTrue(e.getMessage().contains("--quantity"), e.getMessage());
        assertThrows(ParameterException.class, () -> DuplexCli.parse("cancel"));
        assertThrows(ParameterException.class, () -> DuplexCli.parse("loadgen", "--threads", "4"));
    }

    @Test
    void optionWithoutValueOrRepeatedIsAUsageError() {
        assertThrows(ParameterException.class, () -> DuplexCli.parse("get", "--reservation"));
        assertThrows(ParameterException.class, () -> DuplexCli.parse("get", "--reservation", "--json"));
        assertThrows(ParameterException.class, () -> DuplexCli.parse("get", "--reservation", "a", "--reservation", "b"));
        assertThrows(ParameterException.class, () -> DuplexCli.parse("list", "--json=yes"));
    }

    @Test
    void loadgenBoundsAreChecked() {
        DuplexCli.parse("loadgen", "--threads", "64", "--duration", "3600");
        DuplexCli.parse("loadgen", "--threads", "1", "--duration", "1");
        DuplexCli.parse("loadgen", "--threads", "1", "--duration", "1", "--cancel-percent", "100", "--history", "h.jsonl");
        DuplexCli.parse("loadgen", "--threads", "1", "--duration", "1", "--hold-percent", "100", "--hold-seconds", "3600");
        DuplexCli.parse("loadgen", "--threads", "1", "--duration", "1", "--hold-percent", "0", "--hold-seconds", "1");
        for (String[] args : new String[][] {
                {"loadgen", "--threads", "0", "--duration", "10"},
                {"loadgen", "--threads", "65", "--duration", "10"},
                {"loadgen", "--threads", "4", "--duration", "0"},
                {"loadgen", "--threads", "4", "--duration", "3601"},
                {"loadgen", "--threads", "four", "--duration", "10"},
                {"loadgen", "--threads", "4", "--duration", "10", "--quantity", "0"},
                {"loadgen", "--threads", "4", "--duration", "10", "--cancel-percent", "101"},
                {"loadgen", "--threads", "4", "--duration", "10", "--cancel-percent", "-1"},
                {"loadgen", "--threads", "4", "--duration", "10", "--hold-percent", "101"},
                {"loadgen", "--threads", "4", "--duration", "10", "--hold-percent", "-1"},
                {"loadgen", "--threads", "4", "--duration", "10", "--hold-seconds", "0"},
                {"loadgen", "--threads", "4", "--duration", "10", "--hold-seconds", "3601"}}) {
            assertThrows(ParameterException.class, () -> DuplexCli.parse(args), String.join(" ", args));
        }
    }

    @Test
    void seedBoundsAreChecked() {
        SeedCommand seed = command(DuplexCli.parse("seed"), SeedCommand.class);
        assertEquals(SeedCommand.DEFAULT_RESOURCES, seed.count);
        assertEquals(SeedCommand.DEFAULT_CAPACITY, seed.capacity);
        assertThrows(ParameterException.class, () -> DuplexCli.parse("seed", "--resources", "0"));
        assertThrows(ParameterException.class, () -> DuplexCli.parse("seed", "--resources", "1001"));
        assertThrows(ParameterException.class, () -> DuplexCli.parse("seed", "--capacity", "0"));
    }

    @Test
    void cliExitsWithTwoAndPrintsUsageOnStderr() {
        Outcome range = run("loadgen", "--threads", "100", "--duration", "10");
        assertEquals(DuplexCli.USAGE, range.code);
        assertTrue(range.err.contains("--threads") && range.err.contains("between 1 and 64, not 100"), range.err);
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
        assertEquals("", o.err);
    }

    @Test
    void everyCommandHasHelpWithItsOptionsAndTheExitCodes() {
        for (String command : List.of("reserve", "cancel", "get", "list", "resources", "create-resource", "seed",
                "hold", "confirm", "release", "holds", "primary", "loadgen")) {
            Outcome o = run(command, "--help");
            assertEquals(DuplexCli.OK, o.code, command);
            assertTrue(o.out.startsWith("usage: duplex-client " + command), o.out);
            assertTrue(o.out.contains("--deadline-ms"), o.out);
            assertTrue(o.out.contains("5   user or password refused"), o.out);
        }
        assertTrue(run("loadgen", "-h").out.contains("--cancel-percent=P"));
    }

    private static <T> T command(ParseResult parsed, Class<T> type) {
        return assertInstanceOf(type, parsed.subcommand().commandSpec().userObject());
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
