package org.duplex.client.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.duplex.client.DuplexClient;
import org.duplex.client.history.HistoryFile;
import org.duplex.reservation.api.DuplexException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loadgen}: a bounded load of reservations, each with a fresh operation id, retried through failover. */
@Command(name = "loadgen", description = "a bounded load of reservations (and, with --hold-percent, holds) through "
        + "failover; a summary, and the JSON of docs/operating.md with --json")
final class LoadgenCommand extends ClientCommand {

    @Option(names = "--threads", required = true, paramLabel = "N", converter = WholeNumber.Threads.class,
            description = "client threads, " + LoadGenerator.MIN_THREADS + ".." + LoadGenerator.MAX_THREADS)
    long threads;

    @Option(names = "--duration", required = true, paramLabel = "SECONDS", converter = WholeNumber.DurationSeconds.class,
            description = "how long the load runs, " + LoadGenerator.MIN_DURATION_S + ".." + LoadGenerator.MAX_DURATION_S + " s")
    long durationSeconds;

    @Option(names = "--json", paramLabel = "FILE",
            description = "write the result as JSON: clientIds, acknowledged, duplicates, errors, opsPerSec, latencyMs, maxOutageMs...")
    Path json;

    @Option(names = "--quantity", paramLabel = "Q", converter = WholeNumber.Quantity.class, defaultValue = "1",
            description = "units per reservation (default ${DEFAULT-VALUE})")
    long quantity;

    @Option(names = "--history", paramLabel = "FILE",
            description = "write every operation and its outcome as JSON Lines, for ./duplex check")
    Path history;

    @Option(names = "--cancel-percent", paramLabel = "P", converter = WholeNumber.Percent.class, defaultValue = "0",
            description = "P%% of requests cancel one of the run's own reservations, 0..100 (default ${DEFAULT-VALUE})")
    long cancelPercent;

    @Option(names = "--hold-percent", paramLabel = "P", converter = WholeNumber.Percent.class, defaultValue = "0",
            description = "P%% of the other requests place a hold instead of reserving, 0..100; the thread then confirms "
                    + LoadGenerator.CONFIRM_SHARE + "%% of its acknowledged holds, releases " + LoadGenerator.RELEASE_SHARE
                    + "%% and leaves the rest to expire (default ${DEFAULT-VALUE})")
    long holdPercent;

    @Option(names = "--hold-seconds", paramLabel = "S", converter = WholeNumber.HoldSeconds.class,
            defaultValue = "" + LoadGenerator.DEFAULT_HOLD_SECONDS,
            description = "how long each hold lasts, 1..3600 s: short, so that some expire during the run "
                    + "(default ${DEFAULT-VALUE})")
    long holdSeconds;

    @Override
    void execute(DuplexClient duplex) throws DuplexException, IOException, InterruptedException {
        try (HistoryFile file = history == null ? null : HistoryFile.create(history)) {
            LoadGenerator.Result result = new LoadGenerator(duplex).run(new LoadGenerator.Options(
                    (int) threads, 1000L * durationSeconds, (int) quantity, (int) cancelPercent, (int) holdPercent,
                    (int) holdSeconds, file));
            out().println(result.summary());
            if (file != null) {
                out().println("  history written to " + file.path());
            }
            if (json != null) {
                Path path = json.toAbsolutePath();
                if (path.getParent() != null) {
                    Files.createDirectories(path.getParent());
                }
                Files.writeString(path, result.toJson() + "\n", StandardCharsets.UTF_8);
                out().println("  results written to " + path);
            }
        }
    }
}
