package org.duplex.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.duplex.bench.BenchRunner.Part;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The bench runner's command line, as {@code ./duplex bench} calls it (the launcher adds {@code --launcher},
 * {@code --wildfly}, {@code --stock}, {@code --out} and passes the user's {@code --quick} and {@code --parts}).
 * Usage errors, an unknown part or a missing {@code DUPLEX_HOME} among them, exit 2 before anything runs.
 */
@Command(name = "duplex-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the benchmarks against the throw-away cluster ./duplex bench brought up under DUPLEX_HOME, "
                + "and writes results.json, results.md and the charts into --out.",
                "Exit codes: 0 done, 1 failure, 2 usage."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "shorter windows and fewer runs (about 4 minutes instead of 11)")
    boolean quick;

    @Option(names = "--parts", split = ",", paramLabel = "PART", converter = PartName.class,
            completionCandidates = PartNames.class,
            description = "the parts to run, comma-separated, of ${COMPLETION-CANDIDATES} (default: all)")
    List<Part> parts;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/bench",
            description = "where results.json, results.md and the charts go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--launcher", paramLabel = "FILE", defaultValue = "duplex",
            description = "the ./duplex launcher, for kills, restarts and switchovers (default: ${DEFAULT-VALUE})")
    Path launcher;

    @Option(names = "--wildfly", required = true, paramLabel = "DIR", description = "WildFly's home, for jboss-cli")
    Path wildfly;

    @Option(names = "--stock", paramLabel = "DIR",
            description = "stock/target, with duplex-stock-ejb.jar and duplex-stock-client.jar: the throughput part then "
                    + "measures the single-database baseline beside Duplex, and the failover drill runs WildFly's stock "
                    + "answer after each Duplex run")
    Path stock;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;

    BenchCommand(Map<String, String> env) {
        this.env = env;
    }

    static CommandLine commandLine() {
        return new CommandLine(new BenchCommand(System.getenv()));
    }

    @Override
    public Integer call() throws Exception {
        String home = env.get("DUPLEX_HOME");
        if (home == null || home.isBlank()) {
            throw new ParameterException(spec.commandLine(),
                    "DUPLEX_HOME is not set: run the benchmarks through ./duplex bench, which sets it to its cluster");
        }
        EnumSet<Part> chosen = parts == null || parts.isEmpty() ? EnumSet.allOf(Part.class) : EnumSet.copyOf(parts);
        Files.createDirectories(out);
        BenchCluster cluster = new BenchCluster(launcher.toAbsolutePath(), Path.of(home), wildfly);
        new BenchRunner(cluster, quick, out, stock)
                .run(chosen, String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        return 0;
    }

    /** A part by its lower-case name. */
    static final class PartName implements CommandLine.ITypeConverter<Part> {
        @Override
        public Part convert(String value) {
            for (Part part : Part.values()) {
                if (part.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return part;
                }
            }
            throw new CommandLine.TypeConversionException("unknown part '" + value + "' (known: "
                    + String.join(",", new PartNames()) + ")");
        }
    }

    /** The parts' names, for the help and the error message. */
    static final class PartNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Part.values()).map(Part::label).iterator();
        }
    }
}
