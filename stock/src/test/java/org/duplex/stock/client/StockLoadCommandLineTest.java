package org.duplex.stock.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The load driver's command line, as the bench runner calls it: help, required options, ranges, exit codes. */
class StockLoadCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cl = new CommandLine(new StockLoad());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void helpListsEveryOptionTheRunnerPassesAndExitsZero() {
        assertEquals(0, execute("--help"));
        for (String option : new String[] {"--providers", "--user", "--password-file", "--out", "--run", "--threads",
                "--warm", "--max-seconds"}) {
            assertTrue(out.toString().contains(option), option + " missing from\n" + out);
        }
    }

    @Test
    void aMissingRequiredOptionIsAUsageError() {
        assertEquals(2, execute("--user", "u", "--password-file", "p", "--out", "o"));
        assertTrue(err.toString().contains("--providers"), err.toString());
    }

    @ParameterizedTest
    @CsvSource({"--threads, 0", "--threads, 65", "--warm, -1", "--max-seconds, 0", "--max-seconds, 3601",
            "--threads, four"})
    void aNumberOutOfRangeOrNotANumberIsAUsageErrorBeforeConnecting(String option, String value) {
        assertEquals(2, execute("--providers", "remote+http://127.0.0.1:1", "--user", "u", "--password-file",
                "/nonexistent", "--out", "/nonexistent/out.json", option, value));
        assertTrue(err.toString().contains(option), err.toString());
    }
}
