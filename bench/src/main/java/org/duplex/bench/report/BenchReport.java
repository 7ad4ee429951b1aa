package org.duplex.bench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the benchmark report: reads {@code results.json} as written by the bench runner and writes
 * {@code results.md} and its PNG charts into an output directory (normally the one holding the JSON).
 * <p>
 * Guarantees: every section of the report is present, with "not measured in this run" where the JSON has
 * nothing for it; only the charts that have data are drawn, and {@code results.md} lists exactly those.
 * Existing files of the same names are overwritten. It does not check the figures against any threshold,
 * except that it flags commits made by a replaced primary, which must never happen.
 */
public final class BenchReport {

    /** The markdown file name, next to the charts. */
    public static final String MARKDOWN_FILE = "results.md";

    private BenchReport() {
    }

    /**
     * {@code BenchReport <results.json> [<outputDir>]}: writes the report (into the JSON's directory if no
     * output directory is given) and prints the markdown to stdout. Exits 2 on bad arguments, 1 if the
     * results cannot be read or the report cannot be written.
     */
    public static void main(String[] args) {
        // set before the first AWT class loads: the charts are drawn off-screen, also on machines with a display
        System.setProperty("java.awt.headless", "true");
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: BenchReport <results.json> [<outputDir>]");
            System.exit(2);
        }
        Path resultsJson = Path.of(args[0]);
        Path outputDir = args.length == 2 ? Path.of(args[1]) : directoryOf(resultsJson);
        try {
            Path markdown = write(resultsJson, outputDir);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            out.print(Files.readString(markdown, StandardCharsets.UTF_8));
            out.flush();
            System.err.println("report written to " + markdown.toAbsolutePath());
        } catch (NoSuchFileException e) {
            System.err.println("no such file: " + e.getFile());
            System.exit(1);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("cannot write the report from " + resultsJson + ": " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Reads {@code resultsJson} and writes {@value #MARKDOWN_FILE} and the charts into {@code outputDir},
     * creating the directory if needed.
     *
     * @return the path of the markdown file written
     * @throws IOException if the results cannot be read or an output file cannot be written
     * @throws IllegalArgumentException if {@code resultsJson} is not well-formed JSON or not of {@link BenchResults}'s shape
     */
    public static Path write(Path resultsJson, Path outputDir) throws IOException {
        // when called from the runner rather than main(): draw off-screen unless the caller chose otherwise
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        BenchResults results = BenchResults.read(Files.readString(resultsJson, StandardCharsets.UTF_8));
        Files.createDirectories(outputDir);
        List<ChartFile> charts = ResultsCharts.draw(results, outputDir);
        Path markdown = outputDir.resolve(MARKDOWN_FILE);
        Files.writeString(markdown, ResultsMarkdown.render(results, charts), StandardCharsets.UTF_8);
        return markdown;
    }

    private static Path directoryOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of(".");
    }
}
