package org.duplex.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole reports, character for character, against the markdown the renderer wrote before it read
 * {@code results.json} through JSON-B: a real file (the throughput run of 2026-11-30, 23:24 UTC, whose
 * results.md the runner wrote then is the expected text) and the full sample of {@link BenchReportTest},
 * which has every section. A change of wording or of a figure's format shows here as a diff of the whole
 * report, not as one line missing.
 */
class RenderedReportTest {

    @TempDir
    Path dir;

    @Test
    void aRealThroughputRunRendersAsItDidThen() throws IOException {
        Path json = Files.writeString(dir.resolve("results.json"), resource("results-2026-11-30-throughput.json"),
                StandardCharsets.UTF_8);

        assertEquals(resource("results-2026-11-30-throughput.md"), render(json));
    }

    @Test
    void theFullSampleRendersEverySectionAsBefore() throws IOException {
        Path json = Files.writeString(dir.resolve("results.json"), BenchReportTest.FULL_RESULTS, StandardCharsets.UTF_8);

        assertEquals(resource("results-full-sample.md"), render(json));
    }

    private String render(Path json) throws IOException {
        return Files.readString(BenchReport.write(json, dir.resolve("report")), StandardCharsets.UTF_8);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RenderedReportTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
