package org.duplex.checker;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.duplex.checker.judge.Check;
import org.duplex.checker.judge.Expectation;
import org.duplex.checker.judge.HistoryChecker;
import org.duplex.checker.judge.HoldsSnapshot;
import org.duplex.checker.judge.StoreSnapshot;
import org.duplex.checker.judge.Verdict;
import org.duplex.checker.judge.Verification;
import org.duplex.checker.schema.StoreMigration;
import org.duplex.checker.store.StoreAddress;
import org.duplex.checker.timeline.FaultInterval;
import org.duplex.checker.timeline.TimelineChart;
import org.duplex.checker.timeline.WriteTimeline;
import org.duplex.client.history.HistoryFile;
import org.duplex.client.history.HistoryRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar duplex-checker.jar verify|check|timeline|migrate ...}: reads db-a, db-b and (when given) db-w over
 * JDBC and judges them; {@code timeline} reads only files (a history and the faults of a nemesis run); {@code migrate}
 * brings one store's schema up to date (Flyway). Exit codes: 0 everything holds, 1 something does not (or a store did not
 * answer), 2 usage error.
 */
@Command(name = "duplex-checker", mixinStandardHelpOptions = true,
        description = "Checks the invariants of the Duplex stores, and whole client histories against them.",
        subcommands = {DuplexChecker.Verify.class, DuplexChecker.CheckHistories.class, DuplexChecker.Timeline.class,
                DuplexChecker.Migrate.class})
public final class DuplexChecker {

    public static final int HOLDS = 0;
    public static final int BROKEN = 1;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new DuplexChecker());
        // a bad store address or an unreadable file is the caller's mistake: a message, not a stack trace
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("duplex-checker: " + (e instanceof IllegalArgumentException ? e.getMessage() : e.toString()));
            return e instanceof IllegalArgumentException ? line.getCommandSpec().exitCodeOnInvalidInput() : BROKEN;
        });
        System.exit(cl.execute(args));
    }

    /** The loadgen JSON fields verify compares with; the others are ignored. */
    public record LoadgenSummary(List<String> clientIds, long acknowledged) {
    }

    /** How long a prepared transaction may be a commit in progress (the primary's liveness tick is one every round). */
    static final long SETTLE_MS = 10_000;

    /**
     * The stores as read once no prepared transaction is left, or as read when {@link #SETTLE_MS} has passed:
     * a two-phase commit in progress (between its prepare and its commit) is not a transaction left in
     * doubt, and the primary commits one every round. Polls every 200 ms.
     */
    static List<StoreSnapshot> settled(StoreOptions stores) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
        List<StoreSnapshot> snapshots = stores.read();
        while (snapshots.stream().anyMatch(snapshot -> !snapshot.prepared().isEmpty()) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200));
            snapshots = stores.read();
        }
        return snapshots;
    }

    /** The records of several loadgen histories, one run after the other. */
    static List<HistoryRecord> readAll(List<Path> histories) throws IOException {
        List<HistoryRecord> history = new ArrayList<>();
        for (Path p : histories) {
            history.addAll(HistoryFile.read(p));
        }
        return history;
    }

    static Jsonb jsonb() {
        return JsonbBuilder.create(new JsonbConfig().withFormatting(true));
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "The invariants of DESIGN.md now: identical data databases, balanced books, one reservation "
                    + "per operation, no prepared transaction, the stores agreeing on the state, no journal in sync mode.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        StoreOptions stores;

        @Option(names = "--expect", paramLabel = "LOADGEN.JSON",
                description = "a loadgen result: each data database holds exactly its acknowledged reservations")
        Path expect;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Expectation expectation = null;
            if (expect != null) {
                LoadgenSummary summary = jsonb().fromJson(Files.readString(expect, StandardCharsets.UTF_8), LoadgenSummary.class);
                expectation = new Expectation(summary.clientIds() == null ? List.of() : summary.clientIds(), summary.acknowledged());
            }
            List<Check> checks = Verification.checks(settled(stores), expectation);
            PrintWriter out = spec.commandLine().getOut();
            checks.forEach(c -> out.println(c.render()));
            boolean ok = Verification.passed(checks);
            out.println(ok ? "verify: databases identical" : "verify: DIFFERENCES FOUND");
            out.flush();
            return ok ? HOLDS : BROKEN;
        }
    }

    /** What {@code check --json} writes. */
    public record Report(List<String> histories, long operations, boolean pass, List<Verdict> verdicts) {
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Jepsen-style: judges whole loadgen histories against the stores after a run and a heal "
                    + "(lost, doubled, refused-present, unknown-at-most-once, accounting, cancel-applied, identical, "
                    + "no-prepared, one-writer-per-epoch, stores-answered, holds-kept, confirm-applied, never-oversold).")
    static final class CheckHistories implements Callable<Integer> {
        @Mixin
        StoreOptions stores;

        @Option(names = "--history", required = true, arity = "1..*", paramLabel = "FILE",
                description = "a history written by loadgen --history; several runs may be given")
        List<Path> histories = new ArrayList<>();

        @Option(names = "--json", paramLabel = "FILE", description = "also write the verdicts as JSON")
        Path json;

        @Option(names = "--holds", paramLabel = "FILE",
                description = "the holds after the heal, as JSON: {readAtMs, held: {resource: units}, holds: [live holds "
                        + "of the run's client ids]}; needed to judge holds-kept and never-oversold when the history has holds")
        Path holds;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            List<HistoryRecord> history = readAll(histories);
            HoldsSnapshot held = holds == null ? null : readHolds(holds);
            List<StoreSnapshot> snapshots = settled(stores);
            List<Verdict> verdicts = HistoryChecker.check(history, snapshots, held);
            boolean pass = HistoryChecker.passed(verdicts);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("check: %d operation(s) from %d history file(s) against %s%n", history.size(), histories.size(),
                    snapshots.stream().map(StoreSnapshot::store).collect(Collectors.joining(", ")));
            out.printf("%-22s %-7s %s%n", "property", "verdict", "counts");
            for (Verdict v : verdicts) {
                out.printf("%-22s %-7s %s%n", v.property(), v.pass() ? "PASS" : "FAIL",
                        v.counts().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
                v.examples().forEach(e -> out.println("      " + e));
            }
            long failed = verdicts.stream().filter(v -> !v.pass()).count();
            out.println(pass ? "check: all " + verdicts.size() + " properties hold"
                    : "check: " + failed + " of " + verdicts.size() + " properties FAIL");
            if (json != null) {
                Path target = json.toAbsolutePath();
                if (target.getParent() != null) {
                    Files.createDirectories(target.getParent());
                }
                Report report = new Report(histories.stream().map(Path::toString).toList(), history.size(), pass, verdicts);
                Files.writeString(target, jsonb().toJson(report) + "\n", StandardCharsets.UTF_8);
                out.println("check: report written to " + target);
            }
            out.flush();
            return pass ? HOLDS : BROKEN;
        }
    }

    /**
     * The holds file of {@code check --holds}.
     *
     * @throws IOException it cannot be read
     * @throws IllegalArgumentException it is not such a document
     */
    static HoldsSnapshot readHolds(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try (Jsonb reader = JsonbBuilder.create()) {
            HoldsSnapshot snapshot = reader.fromJson(text, HoldsSnapshot.class);
            if (snapshot == null || snapshot.readAtMs() <= 0) {
                throw new IllegalArgumentException("no readAtMs");
            }
            snapshot.holds().forEach(HoldsSnapshot.LiveHold::expiresAtMs);
            return snapshot;
        } catch (IllegalArgumentException | jakarta.json.bind.JsonbException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("the holds file " + file + " is not {readAtMs, held, holds}: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IOException("cannot read the holds file " + file + ": " + e.getMessage(), e);
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Applies a store's pending schema migrations with Flyway (./duplex setup, on each of db-a, db-b, "
                    + "db-w): one line per migration applied. A store set up before Flyway is baselined from its schema_version.")
    static final class Migrate implements Callable<Integer> {
        /** Held: java.util.logging keeps loggers weakly, and a collected one would forget its level. */
        private static final java.util.logging.Logger FLYWAY_LOG = java.util.logging.Logger.getLogger("org.flywaydb");

        @Option(names = "--store", required = true, paramLabel = "NAME=[USER@]HOST:PORT[/DB]", description = "the store")
        String store;

        @Option(names = "--migrations", required = true, paramLabel = "DIR",
                description = "its migrations, V<n>__*.sql directly in DIR: ejb/src/main/db, or ejb/src/main/db/witness for db-w")
        Path migrations;

        @Option(names = "--password-file", required = true, paramLabel = "FILE", description = "the database user's password")
        Path passwordFile;

        @Option(names = "--user", defaultValue = "duplex", description = "database user (default ${DEFAULT-VALUE})")
        String user;

        @Option(names = "--database", defaultValue = "duplex", description = "database name (default ${DEFAULT-VALUE})")
        String database;

        @Option(names = "--primary-node", defaultValue = "node-a", paramLabel = "NODE",
                description = "the node a new store's first cluster state names primary (default ${DEFAULT-VALUE})")
        String primaryNode;

        @Option(names = "--timeout", defaultValue = "3", paramLabel = "SECONDS",
                description = "connect and login deadline (default ${DEFAULT-VALUE})")
        int timeoutSeconds;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException, java.sql.SQLException {
            // Flyway logs through java.util.logging here: its progress is not the launcher's output
            FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
            StoreAddress address = StoreAddress.parse(store, user, database, true);
            String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            PrintWriter out = spec.commandLine().getOut();
            for (StoreMigration.Applied m : StoreMigration.migrate(address, password, migrations, primaryNode,
                    Math.max(1, timeoutSeconds))) {
                out.println(address.name() + ": schema version " + m.version() + " (" + m.file() + ")");
            }
            out.flush();
            return HOLDS;
        }
    }

    @Command(name = "timeline", mixinStandardHelpOptions = true,
            description = "Availability of a nemesis run: acknowledged writes per second with the faults shaded (PNG), "
                    + "and the longest time without an acknowledged write (JSON). Reads files only, no store.")
    static final class Timeline implements Callable<Integer> {
        @Option(names = "--history", required = true, arity = "1..*", paramLabel = "FILE",
                description = "a history written by loadgen --history")
        List<Path> histories = new ArrayList<>();

        @Option(names = "--faults", paramLabel = "FILE",
                description = "the faults of the run, one JSON object per line (scenario, kind, fault, startMs, endMs)")
        Path faults;

        @Option(names = "--png", paramLabel = "FILE", description = "the chart to write")
        Path png;

        @Option(names = "--json", paramLabel = "FILE", description = "the numbers to write")
        Path json;

        @Option(names = "--title", paramLabel = "TEXT", defaultValue = "Acknowledged writes and faults")
        String title;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            List<HistoryRecord> history = readAll(histories);
            List<FaultInterval> intervals = new ArrayList<>();
            if (faults != null && Files.exists(faults)) {
                try (Jsonb reader = JsonbBuilder.create()) {
                    for (String line : Files.readAllLines(faults, StandardCharsets.UTF_8)) {
                        if (!line.isBlank()) {
                            intervals.add(reader.fromJson(line, FaultInterval.class));
                        }
                    }
                } catch (Exception e) {
                    if (e instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalArgumentException("cannot read the faults " + faults + ": " + e.getMessage(), e);
                }
            }
            WriteTimeline timeline = WriteTimeline.of(history, intervals);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("timeline: %d acknowledged, %d refused, %d unknown over %.1f s; longest without an acknowledged "
                            + "write %.1f s (from %.1f s); %d fault(s)%n",
                    timeline.acknowledged(), timeline.refused(), timeline.unknown(),
                    (timeline.runEndMs() - timeline.runStartMs()) / 1000.0, timeline.longestOutageMs() / 1000.0,
                    timeline.outageFromMs() / 1000.0, intervals.size());
            if (png != null) {
                createParent(png);
                TimelineChart.save(timeline, title, png);
                out.println("timeline: chart written to " + png.toAbsolutePath());
            }
            if (json != null) {
                createParent(json);
                Files.writeString(json, jsonb().toJson(timeline) + "\n", StandardCharsets.UTF_8);
            }
            out.flush();
            return HOLDS;
        }

        private static void createParent(Path file) throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        }
    }
}
