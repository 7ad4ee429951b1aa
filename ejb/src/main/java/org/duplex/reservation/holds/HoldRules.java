package org.duplex.reservation.holds;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.duplex.reservation.holds.HoldRecord.Phase;

/**
 * The rules of holds as pure functions (docs/holds.md): the id a request's hold gets, the availability
 * arithmetic, when a PENDING entry may be voided, and what a resend, a confirm or a release finds. No
 * cache, no database, no clock of its own: the caller passes what it read and the time, and acts on the
 * verdict. Unit-tested in milliseconds.
 */
public final class HoldRules {

    /**
     * How long the answer to a hold or release request is kept after the hold's expiry, for late resends
     * (one hour: far beyond a client's resend deadline, 30 s by default).
     */
    public static final long ANSWER_RETENTION_MS = 3600L * 1000;
    /**
     * After this long a PENDING entry of this node's own, at its current epoch, may be voided: its placement
     * is stuck or gone (each of its steps has a deadline of at most 2.5 s). Voiding races the placer's own
     * PENDING to LIVE step on one key, so it is safe at any time; the grace only spares slow placements.
     */
    public static final long PENDING_GRACE_MS = 15_000;

    private HoldRules() {
    }

    /**
     * The id of the hold a request places: a name-based (type 3) UUID of {@code (clientId, operationId)},
     * so that a resend, on whichever node, finds the same hold. Ownership is checked on every use, so a
     * guessed id gives nothing.
     */
    public static String holdId(String clientId, String operationId) {
        return UUID.nameUUIDFromBytes(("hold\u0000" + clientId + "\u0000" + operationId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** Whether {@code quantity} more units fit: reserved + held + quantity <= capacity. */
    public static boolean fits(long capacity, long reserved, long held, long quantity) {
        return reserved + held + quantity <= capacity;
    }

    /** Units the given hold entries keep on one resource: PENDING and LIVE entries count (over-counting is safe). */
    public static long heldUnits(Iterable<HoldRecord> entries, String resourceId) {
        long held = 0;
        for (HoldRecord r : entries) {
            if (r.counts() && r.resourceId().equals(resourceId)) {
                held += r.quantity();
            }
        }
        return held;
    }

    /** The expiry of a hold placed at {@code nowMs} for {@code seconds}. */
    public static long expiresAtMs(long nowMs, int seconds) {
        return nowMs + seconds * 1000L;
    }

    /** The Infinispan lifespan that ends a hold entry at its expiry (at least 1 ms: 0 would mean forever). */
    public static long lifespanMs(HoldRecord r, long nowMs) {
        return Math.max(1, r.expiresAtMs() - nowMs);
    }

    /** The lifespan of its answer record: the hold's, plus {@link #ANSWER_RETENTION_MS}. */
    public static long answerLifespanMs(HoldRecord r, long nowMs) {
        return lifespanMs(r, nowMs) + ANSWER_RETENTION_MS;
    }

    /**
     * Whether the primary {@code me} at {@code epoch} may void this PENDING entry (a conditional remove that
     * races the placer's own step to LIVE): placed under an older epoch or by another node (its placer was
     * demoted, or died, before it proved itself primary), or stuck past {@link #PENDING_GRACE_MS}.
     */
    public static boolean voidable(HoldRecord r, String me, long epoch, long nowMs) {
        return r.phase() == Phase.PENDING
                && (r.epoch() < epoch || !r.node().equals(me) || nowMs - r.placedAtMs() > PENDING_GRACE_MS);
    }

    /** What a request met in the cache, and what to do about it. */
    public sealed interface Verdict permits Place, Answer, Proceed, VoidFirst, Busy, Unknown, Expired, Conflict {
    }

    /** Nothing there: place the hold. */
    public record Place() implements Verdict {
    }

    /** Answer with this record (a resend), marked duplicate. */
    public record Answer(HoldRecord record) implements Verdict {
    }

    /** A live hold of this client's: go on with it. */
    public record Proceed(HoldRecord live) implements Verdict {
    }

    /** A PENDING entry of a placement that can no longer be acknowledged: void it, then decide again. */
    public record VoidFirst(HoldRecord pending) implements Verdict {
    }

    /** A placement of this node's is in flight on that key: resend shortly. */
    public record Busy(String reason) implements Verdict {
    }

    /** No live hold of this client's by that id. */
    public record Unknown(String reason) implements Verdict {
    }

    /** The hold lapsed. */
    public record Expired(HoldRecord record) implements Verdict {
    }

    /** The operation id was used for another request. */
    public record Conflict(String reason) implements Verdict {
    }

    /**
     * A hold request {@code (clientId, operationId, resourceId, quantity)} whose id led to these entries.
     *
     * @param live   the {@code hold:} entry, or null
     * @param answer the {@code answer:} entry, or null
     */
    public static Verdict forHold(HoldRecord live, HoldRecord answer, String resourceId, int quantity, String me,
                                  long epoch, long nowMs) {
        HoldRecord found = answer != null ? answer : live;
        if (found == null) {
            return new Place();
        }
        if (!found.resourceId().equals(resourceId) || found.quantity() != quantity) {
            return new Conflict("operation " + found.operationId() + " of client " + found.clientId()
                    + " was already used to hold " + found.quantity() + " of " + found.resourceId()
                    + "; use a new operation id for a new request");
        }
        if (live == null && unacknowledged(answer, nowMs)) {
            // the answer of a placement whose step to LIVE lost to a void: never acknowledged, place it anew
            return new Place();
        }
        if (answer != null && (closed(answer) || live == null)) {
            // a LIVE answer without its hold entry: Infinispan has expired it
            return new Answer(answer.phase() == Phase.LIVE ? answer.inPhase(Phase.EXPIRED, null) : answer);
        }
        if (live.phase() == Phase.LIVE) {
            return new Answer(live);
        }
        return voidable(live, me, epoch, nowMs) ? new VoidFirst(live)
                : new Busy("the placement of hold " + live.id() + " is still under way");
    }

    /**
     * Whether a LIVE answer record whose hold entry is gone (the caller read none) belongs to a placement that
     * was never acknowledged. The answer is written beside the step to LIVE, so a placement whose step lost to a
     * void may leave one behind (its placer takes it back, unless it dies first). An acknowledged hold's entry
     * leaves before its expiry only by a confirm or release, which close the answer first; so a LIVE answer
     * without its entry before the expiry was never acknowledged, and after it the hold expired.
     *
     * @param answer the {@code answer:} entry, or null (then false)
     */
    public static boolean unacknowledged(HoldRecord answer, long nowMs) {
        return answer != null && answer.phase() == Phase.LIVE && nowMs < answer.expiresAtMs();
    }

    /**
     * Whether the primary's sweeper removes this answer record: {@link #unacknowledged} (no hold entry) and
     * older than {@link #PENDING_GRACE_MS}, so that no placement still under way loses its answer.
     *
     * @param entry the hold entry of the same id, or null
     */
    public static boolean staleAnswer(HoldRecord answer, HoldRecord entry, long nowMs) {
        return entry == null && unacknowledged(answer, nowMs) && nowMs - answer.placedAtMs() > PENDING_GRACE_MS;
    }

    /** What a placement that made its entry LIVE does about the answer record its write found in place. */
    public enum AnswerFound {
        /** None, or its own: the answer is in place. */
        NONE,
        /** The LIVE answer of an earlier placement of the same request that never became LIVE: replace it. */
        STALE,
        /** A closed answer: the hold is not acknowledged; a resend is told how it ended. */
        CLOSED
    }

    /**
     * What the placement that made {@code mine} LIVE meets when its answer write found {@code found}. Only the
     * one placement whose step to LIVE succeeded replaces a stale answer, so two never overwrite each other.
     *
     * @param found the answer record already there, or null when this placement's was written
     */
    public static AnswerFound answerFound(HoldRecord found, HoldRecord mine) {
        if (found == null || found.equals(mine)) {
            return AnswerFound.NONE;
        }
        return closed(found) ? AnswerFound.CLOSED : AnswerFound.STALE;
    }

    /** Confirmed, released or expired: the answer record is final, whatever a hold entry not yet removed says. */
    static boolean closed(HoldRecord answer) {
        return answer.phase() == Phase.CONFIRMED || answer.phase() == Phase.RELEASED || answer.phase() == Phase.EXPIRED;
    }

    /** A confirm or release by {@code clientId} of hold {@code holdId}, which led to these entries. */
    public static Verdict forUse(String holdId, HoldRecord live, HoldRecord answer, String clientId, String me,
                                 long epoch, long nowMs) {
        if (answer != null && answer.clientId().equals(clientId) && closed(answer)) {
            return switch (answer.phase()) {
                case CONFIRMED -> new Unknown("hold " + holdId + " was confirmed by operation " + answer.closedBy());
                case RELEASED -> new Unknown("hold " + holdId + " was released by operation " + answer.closedBy());
                default -> new Expired(answer);
            };
        }
        if (live != null && live.clientId().equals(clientId)) {
            if (live.phase() == Phase.LIVE) {
                return new Proceed(live);
            }
            return voidable(live, me, epoch, nowMs) ? new VoidFirst(live)
                    : new Busy("the placement of hold " + holdId + " is still under way");
        }
        if (answer != null && answer.clientId().equals(clientId) && unacknowledged(answer, nowMs)) {
            return new Unknown("hold " + holdId + " was never acknowledged: its placer lost the primary role before"
                    + " it could be; place a new hold");
        }
        if (answer != null && answer.clientId().equals(clientId) && answer.phase() == Phase.LIVE) {
            // acknowledged, and its hold entry is gone: Infinispan expired it
            return new Expired(answer.inPhase(Phase.EXPIRED, null));
        }
        return new Unknown("client " + clientId + " has no hold " + holdId);
    }
}
