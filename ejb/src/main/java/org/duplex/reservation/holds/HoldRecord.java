package org.duplex.reservation.holds;

import java.time.Instant;
import org.duplex.reservation.api.Hold;

/**
 * One hold as the cache {@code holds} stores it: a plain string (JDK type, so no marshalling of
 * application classes between the nodes), made and read here only. Two entries per hold, both keyed by
 * the hold's id ({@link HoldRules#holdId}):
 * <ul>
 *   <li>{@code hold:<id>}, the live hold, {@link Phase#PENDING} then {@link Phase#LIVE}, with an Infinispan
 *       lifespan ending at {@link #expiresAtMs()}: Infinispan's expiration is what ends it;</li>
 *   <li>{@code answer:<id>}, what the hold request was answered and how the hold ended ({@link Phase#LIVE},
 *       then {@link Phase#CONFIRMED}, {@link Phase#RELEASED} or {@link Phase#EXPIRED}), kept for
 *       {@link HoldRules#ANSWER_RETENTION_MS} after the expiry so that a late resend gets its answer.</li>
 * </ul>
 *
 * @param id          the hold id
 * @param clientId    the client it belongs to
 * @param operationId the operation id of the hold request
 * @param resourceId  the resource held
 * @param quantity    units held, 1 to {@code MAX_QUANTITY}
 * @param expiresAtMs when it lapses, epoch milliseconds (wall clock of the node that placed it)
 * @param epoch       the epoch under which its placer believed itself primary
 * @param node        the node that placed it
 * @param placedAtMs  when the placement began, epoch milliseconds (orders a stuck PENDING entry's void)
 * @param phase       where it is in its life
 * @param closedBy    the operation id that confirmed or released it, or null
 */
public record HoldRecord(String id, String clientId, String operationId, String resourceId, int quantity,
                         long expiresAtMs, long epoch, String node, long placedAtMs, Phase phase, String closedBy) {

    /** Where a hold is in its life. */
    public enum Phase {
        /** Written to both nodes, its placer not yet proven primary: counted, not acknowledged, voidable. */
        PENDING,
        /** Acknowledged: counted until it expires, is confirmed or released. */
        LIVE,
        CONFIRMED,
        RELEASED,
        EXPIRED
    }

    private static final String SEPARATOR = "|";
    private static final String VERSION = "h1";

    /** The string stored in the cache; ids never contain {@value #SEPARATOR} (RequestRules: ids are words). */
    public String encode() {
        return String.join(SEPARATOR, VERSION, id, clientId, operationId, resourceId, Integer.toString(quantity),
                Long.toString(expiresAtMs), Long.toString(epoch), node, Long.toString(placedAtMs), phase.name(),
                closedBy == null ? "" : closedBy);
    }

    /**
     * Whether a value written by {@link #encode()} may be a record of this resource, without decoding it: true
     * for every record of it (ids never contain the separator), false for most others (a record whose other ids
     * equal this resource id passes too, and is then decoded and judged by its fields).
     */
    public static boolean mayConcern(String value, String resourceId) {
        return value.contains(SEPARATOR + resourceId + SEPARATOR);
    }

    /**
     * The record a cache value holds, or null for null.
     *
     * @throws IllegalArgumentException the value was not written by {@link #encode()}
     */
    public static HoldRecord decode(String value) {
        if (value == null) {
            return null;
        }
        String[] f = value.split("\\|", -1);
        if (f.length != 12 || !VERSION.equals(f[0])) {
            throw new IllegalArgumentException("not a hold record: " + value);
        }
        return new HoldRecord(f[1], f[2], f[3], f[4], Integer.parseInt(f[5]), Long.parseLong(f[6]),
                Long.parseLong(f[7]), f[8], Long.parseLong(f[9]), Phase.valueOf(f[10]), f[11].isEmpty() ? null : f[11]);
    }

    public HoldRecord inPhase(Phase next, String closingOperation) {
        return new HoldRecord(id, clientId, operationId, resourceId, quantity, expiresAtMs, epoch, node, placedAtMs,
                next, closingOperation);
    }

    /** Whether its units are counted against the capacity now (a PENDING or LIVE hold entry). */
    public boolean counts() {
        return phase == Phase.PENDING || phase == Phase.LIVE;
    }

    /** What a client is told about this hold; a LIVE answer record past its expiry is told EXPIRED. */
    public Hold view(boolean duplicate, long nowMs) {
        Hold.Status status = switch (phase) {
            case PENDING, LIVE -> nowMs >= expiresAtMs ? Hold.Status.EXPIRED : Hold.Status.HELD;
            case CONFIRMED -> Hold.Status.CONFIRMED;
            case RELEASED -> Hold.Status.RELEASED;
            case EXPIRED -> Hold.Status.EXPIRED;
        };
        return new Hold(id, clientId, operationId, resourceId, quantity, Instant.ofEpochMilli(expiresAtMs), status,
                epoch, node, duplicate);
    }
}
