package org.duplex.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes whole reports from sample results and checks the markdown figures and the PNG files. */
class BenchReportTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    static final String FULL_RESULTS = """
            {
              "date": "2026-11-24T21:30:00Z",
              "machine": {"cores": 2, "memoryGiB": 23.4, "java": "17.0.15", "os": "Linux 6.1"},
              "command": "./duplex bench --quick",
              "throughput": [
                {"threads": 1, "mode": "xa", "opsPerSec": 95.2, "p50Ms": 9.8, "p99Ms": 21.0, "requests": 480, "errors": 0},
                {"threads": 1, "mode": "single", "opsPerSec": 250.1, "p50Ms": 3.8, "p99Ms": 9.0, "requests": 1250, "errors": 0},
                {"threads": 4, "mode": "xa", "opsPerSec": 300, "p50Ms": 12.5, "p99Ms": 40.25, "requests": 1500, "errors": 1},
                {"threads": 4, "mode": "single", "opsPerSec": 600.0, "p50Ms": 6, "p99Ms": 15, "requests": 3000, "errors": 2}
              ],
              "failover": {
                "duplex": {"runs": [
                  {"outageMs": 243, "promotionMs": 31, "acknowledged": 3238, "rowsA": 3238, "rowsB": 3238, "duplicates": 1, "errors": 0,
                   "preparedLeft": 0},
                  {"outageMs": 257, "promotionMs": 40, "acknowledged": 3000, "rowsA": 3000, "rowsB": 3000, "duplicates": 0, "errors": 0}
                ]},
                "stock": {"runs": [
                  {"outageMs": 57, "acknowledged": 1000, "rowsA": 1003, "rowsB": 1001, "errors": 4,
                   "acknowledgedMissingA": 0, "acknowledgedMissingB": 1, "rowsInOneDatabase": 2, "preparedLeft": 2,
                   "recoveryMs": 15000, "rowsInOneDatabaseAfterRecovery": 0, "committedDespiteError": 3},
                  {"outageMs": 61, "acknowledged": 1000, "rowsA": 1000, "rowsB": 1000, "errors": 2,
                   "acknowledgedMissingA": 0, "acknowledgedMissingB": 0, "rowsInOneDatabase": 0, "preparedLeft": 1,
                   "recoveryMs": 17000, "rowsInOneDatabaseAfterRecovery": 0, "committedDespiteError": 1}
                ]}
              },
              "hung": {"runs": [
                {"promotionMs": 1100, "outageMs": 2300, "committedAfterPromotion": 0, "errors": 0},
                {"promotionMs": 1300, "outageMs": 2500, "committedAfterPromotion": 0, "errors": 0}
              ]},
              "switchover": {"runs": [{"pauseMs": 90, "errors": 0}, {"pauseMs": 120, "errors": 0}]},
              "catchUp": {"runs": [
                {"entries": 7500, "ms": 884, "entriesPerSec": 8484},
                {"entries": 6000, "ms": 800, "entriesPerSec": 7500}
              ]},
              "holds": {"operations": 200, "reserveP50Ms": 11.2, "reserveP99Ms": 30.5, "holdP50Ms": 2.4, "holdP99Ms": 6.1,
                "confirmP50Ms": 12.3, "confirmP99Ms": 33, "acknowledgedBeforeKill": 412, "liveAfterKill": 412, "promotionMs": 95},
              "timeline": {
                "bucketMs": 100,
                "buckets": [%s],
                "events": [{"tMs": 5000, "label": "kill -9 node-a"}, {"tMs": 5030, "label": "node-b promoted"},
                           {"tMs": 30000, "label": "failback to node-a"}]
              }
            }
            """.formatted(timelineBuckets());

    @TempDir
    Path dir;

    @Test
    void fullResultsGiveEveryTableTheRatiosAndFourCharts() throws IOException {
        Path json = Files.writeString(dir.resolve("results.json"), FULL_RESULTS, StandardCharsets.UTF_8);

        Path markdown = BenchReport.write(json, dir);

        assertEquals(dir.resolve("results.md"), markdown);
        String md = Files.readString(markdown, StandardCharsets.UTF_8);
        assertTrue(md.contains("Run of 2026-11-24T21:30:00Z on 2 cores, 23.4 GiB memory, Java 17.0.15, Linux 6.1;"
                + " command: `./duplex bench --quick`"), md);
        // throughput: 95.2 / 250.1 = 0.38, 300 / 600 = 0.50; errors of both modes summed
        assertContainsLine(md, "| 1 | 95.2 | 250.1 | 0.38 | 9.8 / 21 | 3.8 / 9 | 0 |");
        assertContainsLine(md, "| 4 | 300 | 600 | 0.50 | 12.5 / 40.3 | 6 / 15 | 3 |");
        // failover: nearest-rank p50 of two runs is the lower one, so 243 / 57
        assertContainsLine(md, "|  | duplex | stock |");
        assertContainsLine(md, "| runs | 2 | 2 |");
        assertContainsLine(md, "| client outage p50 (ms) | 243 | 57 |");
        assertContainsLine(md, "| client outage p99 (ms) | 257 | 61 |");
        assertContainsLine(md, "| client outage max (ms) | 257 | 61 |");
        assertContainsLine(md, "| time to promotion p50 (ms) | 31 | — |");
        assertContainsLine(md, "| acknowledged (total) | 6238 | 2000 |");
        // stock: missing counted id by id (1), not from row counts, which errored-but-committed calls inflate
        assertContainsLine(md, "| acknowledged but missing from a database | 0 | 1 |");
        assertContainsLine(md, "| rows differing between databases | 0 | 2 |");
        assertContainsLine(md, "| prepared transactions left in PostgreSQL | 0 | 3 |");
        assertContainsLine(md, "| time until none was left, p50 (ms) | — | 15000 |");
        assertContainsLine(md, "| rows differing once none was left | — | 0 |");
        assertContainsLine(md, "| duplicates | 1 | — |");
        assertContainsLine(md, "| errors surfaced to callers | 0 | 6 |");
        assertContainsLine(md, "| of which the write committed anyway | — | 4 |");
        assertTrue(md.contains("Ratio of median outages, duplex / stock: 4.26 (243 ms / 57 ms)."), md);
        // hung primary, switchover, catch-up
        assertContainsLine(md, "| time to promotion p50 / max (ms) | 1100 / 1300 |");
        assertContainsLine(md, "| client outage p50 / max (ms) | 2300 / 2500 |");
        assertContainsLine(md, "| commits by the old primary after promotion (must be 0) | 0 |");
        assertContainsLine(md, "| client pause p50 / p99 / max (ms) | 90 / 120 / 120 |");
        assertContainsLine(md, "| 1 | 7500 | 884 | 8484 |");
        assertContainsLine(md, "| 2 | 6000 | 800 | 7500 |");
        assertTrue(md.contains("Median: 7500 entries/s over 2 runs."), md);
        // holds
        assertContainsLine(md, "| reserve | 11.20 | 30.50 |");
        assertContainsLine(md, "| hold | 2.40 | 6.10 |");
        assertContainsLine(md, "| confirm | 12.30 | 33 |");
        assertContainsLine(md, "| holds acknowledged | 412 |");
        assertContainsLine(md, "| of them live on the new primary (must be equal) | 412 |");
        assertFalse(md.contains(ResultsMarkdown.NOT_MEASURED), md);
        // sections in the documented order
        assertInOrder(md, "## Throughput and latency", "## Failover", "## Hung primary", "## Planned switchover",
                "## Catch-up", "## Holds", "## Charts");

        for (String chart : List.of("throughput.png", "latency.png", "failover.png", "timeline.png")) {
            assertPng(dir.resolve(chart));
            assertTrue(md.contains("- [" + chart + "](" + chart + ")"), chart + " not listed in\n" + md);
        }
        assertTrue(md.contains("events: kill -9 node-a at 5 s, node-b promoted at 5.03 s, failback to node-a at 30 s"),
                md);
    }

    @Test
    void missingSectionsSayNotMeasuredAndDrawNoChart() throws IOException {
        Path json = Files.writeString(dir.resolve("results.json"), """
                {"date": "2026-11-25T08:00:00Z",
                 "machine": {"cores": 2, "memoryGiB": 23.4, "java": "17.0.15", "os": "Linux 6.1"},
                 "command": "./duplex bench --only failover",
                 "failover": {"duplex": {"runs": [
                     {"outageMs": 300, "promotionMs": 25, "acknowledged": 10, "rowsA": 10, "rowsB": 9, "duplicates": 0, "errors": 0},
                     {"outageMs": 100.5, "promotionMs": 20, "acknowledged": 10, "rowsA": 10, "rowsB": 10, "duplicates": 0, "errors": 0},
                     {"outageMs": 200, "promotionMs": 30, "acknowledged": 10, "rowsA": 10, "rowsB": 10, "duplicates": 0, "errors": 0}
                   ]}, "stock": null}}
                """, StandardCharsets.UTF_8);
        Path out = dir.resolve("report");

        String md = Files.readString(BenchReport.write(json, out), StandardCharsets.UTF_8);

        for (String section : List.of("## Throughput and latency", "## Hung primary", "## Planned switchover",
                "## Catch-up", "## Holds")) {
            int at = md.indexOf(section);
            assertTrue(at >= 0, section + " missing from\n" + md);
            assertTrue(md.startsWith(ResultsMarkdown.NOT_MEASURED, md.indexOf("\n\n", at) + 2),
                    section + " should say it was not measured:\n" + md);
        }
        assertContainsLine(md, "|  | duplex |");
        assertContainsLine(md, "| client outage p50 (ms) | 200 |");
        assertContainsLine(md, "| client outage max (ms) | 300 |");
        assertContainsLine(md, "| acknowledged but missing from a database | 1 |");
        assertFalse(md.contains("Ratio of median outages"), md);
        assertPng(out.resolve("failover.png"));
        for (String absent : List.of("throughput.png", "latency.png", "timeline.png")) {
            assertFalse(Files.exists(out.resolve(absent)), absent);
            assertFalse(md.contains(absent), md);
        }
    }

    @Test
    void unevenRunsAndAModeMissingAtOneThreadCountStillChart() throws IOException {
        Path json = Files.writeString(dir.resolve("results.json"), """
                {"date": "d", "machine": {}, "command": "c",
                 "throughput": [
                   {"threads": 1, "mode": "xa", "opsPerSec": 90, "p50Ms": 10, "p99Ms": 20, "errors": 0},
                   {"threads": 1, "mode": "single", "opsPerSec": 200, "p50Ms": 4, "p99Ms": 9, "errors": 0},
                   {"threads": 8, "mode": "xa", "opsPerSec": 400, "p50Ms": 18, "p99Ms": 60, "errors": 0}],
                 "failover": {
                   "duplex": {"runs": [{"outageMs": 240}, {"outageMs": 250}, {"outageMs": 260}]},
                   "stock": {"runs": [{"outageMs": 60}]}},
                 "hung": {"runs": [{"promotionMs": 1000, "outageMs": 2000, "committedAfterPromotion": 2, "errors": 0}]}}
                """, StandardCharsets.UTF_8);

        String md = Files.readString(BenchReport.write(json, dir), StandardCharsets.UTF_8);

        assertTrue(md.contains("Run of d on unknown cores"), md);
        assertContainsLine(md, "| 8 | 400 | — | — | 18 / 60 | — | 0 |");
        assertTrue(md.contains("Ratio of median outages, duplex / stock: 4.17 (250 ms / 60 ms)."), md);
        assertContainsLine(md, "| commits by the old primary after promotion (must be 0) | 2 **FENCING FAILED** |");
        assertPng(dir.resolve("throughput.png"));
        assertPng(dir.resolve("failover.png"));
    }

    @Test
    void malformedResultsAreRejectedWithoutWritingAReport() throws IOException {
        Path json = Files.writeString(dir.resolve("results.json"), "{\"date\": ", StandardCharsets.UTF_8);

        assertThrows(IllegalArgumentException.class, () -> BenchReport.write(json, dir));
        assertFalse(Files.exists(dir.resolve("results.md")));
    }

    /** 30 s of 100 ms buckets with an outage from 5.0 s to 5.3 s, where no request succeeds. */
    private static String timelineBuckets() {
        StringBuilder buckets = new StringBuilder();
        for (int t = 0; t < 35_000; t += 100) {
            boolean outage = t >= 5_000 && t < 5_300;
            int successes = outage ? 0 : 20 + (t / 100) % 5;
            double p50 = t < 5_000 ? 12.1 : 14.0 + (t % 700) / 100.0;
            if (buckets.length() > 0) {
                buckets.append(',');
            }
            buckets.append("{\"tMs\": ").append(t).append(", \"successes\": ").append(successes);
            if (!outage) {
                buckets.append(", \"p50Ms\": ").append(p50).append(", \"maxMs\": ").append(p50 * 3);
            }
            buckets.append('}');
        }
        return buckets.toString();
    }

    private static void assertContainsLine(String markdown, String line) {
        assertTrue(markdown.lines().anyMatch(line::equals), "no line \"" + line + "\" in\n" + markdown);
    }

    private static void assertInOrder(String markdown, String... headings) {
        int from = 0;
        for (String heading : headings) {
            int at = markdown.indexOf(heading, from);
            assertTrue(at >= 0, heading + " missing or out of order in\n" + markdown);
            from = at;
        }
    }

    private static void assertPng(Path file) throws IOException {
        assertTrue(Files.size(file) > PNG_SIGNATURE.length, file + " is empty");
        try (InputStream in = Files.newInputStream(file)) {
            assertArrayEquals(PNG_SIGNATURE, in.readNBytes(PNG_SIGNATURE.length), file + " is not a PNG");
        }
    }
}
