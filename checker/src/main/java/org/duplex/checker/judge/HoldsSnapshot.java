package org.duplex.checker.judge;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The holds as the service showed them after a run and its heal (docs/testing.md): what the checker
 * judges acknowledged holds and the never-oversold rule against. Read from the JSON file {@code check --holds}
 * takes, which the nemesis writes: {@code {"readAtMs": ..., "held": {resource: units}, "holds": [...]}}.
 *
 * @param readAtMs when the last list of live holds was answered, wall clock ms since the epoch: a hold
 *                 that is not listed must have expired by then
 * @param held     per resource id, the units the primary counted as held (GET /duplex/api/resources,
 *                 {@code held}), read before the lists; a resource left out holds none
 * @param holds    the live holds of the run's client ids ({@code duplex-client holds --json} or GET
 *                 /duplex/api/holds?clientId=), read after {@code held}
 */
public record HoldsSnapshot(long readAtMs, Map<String, Long> held, List<LiveHold> holds) {

    public HoldsSnapshot {
        held = held == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(held));
        holds = holds == null ? List.of() : List.copyOf(holds);
    }

    /**
     * One live hold as the service listed it; the other fields of the listing are ignored.
     *
     * @param expiresAt ISO-8601 instant, as the service answers it (millisecond precision)
     */
    public record LiveHold(String id, String clientId, String operationId, String resourceId, int quantity,
                           String expiresAt) {

        /** {@link #expiresAt} in ms since the epoch. @throws java.time.format.DateTimeParseException not an instant */
        public long expiresAtMs() {
            return Instant.parse(expiresAt).toEpochMilli();
        }
    }

    /** The live holds' units per resource id. */
    public Map<String, Long> listedUnits() {
        Map<String, Long> units = new TreeMap<>();
        holds.forEach(h -> units.merge(h.resourceId(), (long) h.quantity(), Long::sum));
        return units;
    }
}
