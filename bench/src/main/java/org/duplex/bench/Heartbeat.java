package org.duplex.bench;

import java.util.Optional;
import org.duplex.bench.report.BenchResults.CatchUpRun;
import org.duplex.client.cli.JsonDocuments;

/**
 * The members of a node's {@code GET /duplex/api/heartbeat} (docs/rest-api.md) that the runner reads; the others
 * are ignored. Public only because Yasson maps public records alone.
 *
 * @param lastCatchUpFigures the node's last finished catch-up in numbers, null before one
 */
public record Heartbeat(String node, String role, Long epoch, String primary, String mode,
                        CatchUpFigures lastCatchUpFigures) {

    /** The heartbeat's {@code lastCatchUpFigures}: entries replayed into {@code database} in {@code ms} ms. */
    public record CatchUpFigures(String database, Long entries, Long ms, Long entriesPerSec) {
    }

    /** @throws IllegalArgumentException the body is not a heartbeat's JSON */
    static Heartbeat read(String json) {
        return JsonDocuments.read(json, Heartbeat.class);
    }

    /** The last catch-up's entries, duration and rate, with the load's {@code errors} meanwhile; empty before one. */
    Optional<CatchUpRun> lastCatchUpRun(long errors) {
        CatchUpFigures f = lastCatchUpFigures;
        if (f == null || f.entries() == null || f.ms() == null || f.entriesPerSec() == null) {
            return Optional.empty();
        }
        return Optional.of(new CatchUpRun(f.entries(), f.ms().doubleValue(), f.entriesPerSec().doubleValue(), errors));
    }
}
