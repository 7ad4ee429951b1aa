package org.duplex.bench;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duplex.bench.report.BenchResults.CatchUpRun;
import org.duplex.client.cli.JsonDocuments;

/**
 * The members of a node's {@code GET /duplex/api/heartbeat} (docs/rest-api.md) that the runner reads; the others
 * are ignored. Public only because Yasson maps public records alone.
 *
 * @param lastCatchUp a sentence written for people, "N journal entries replayed into db-b in M ms (R entries/s)"
 */
public record Heartbeat(String node, String role, Long epoch, String primary, String mode, String lastCatchUp) {

    /**
     * The heartbeat has no numeric members for the last catch-up (the fault detector's {@code Heartbeat} record
     * would need them first), so its figures are read from the sentence. A sentence that does not match gives
     * nothing, and the run is left out of the results: a changed wording shows as a missing run, not a wrong one.
     */
    private static final Pattern CATCH_UP_SENTENCE =
            Pattern.compile("(\\d+) journal entries replayed into \\S+ in (\\d+) ms \\((\\d+) entries/s\\)");

    /** @throws IllegalArgumentException the body is not a heartbeat's JSON */
    static Heartbeat read(String json) {
        return JsonDocuments.read(json, Heartbeat.class);
    }

    /** The last catch-up's entries, duration and rate, with the load's {@code errors} meanwhile. */
    Optional<CatchUpRun> lastCatchUpRun(long errors) {
        Matcher m = CATCH_UP_SENTENCE.matcher(lastCatchUp == null ? "" : lastCatchUp);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new CatchUpRun(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
                Double.parseDouble(m.group(3)), errors));
    }
}
