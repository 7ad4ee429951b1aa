package org.duplex.client.history;

/**
 * One client operation as the client saw it: what was sent, when it was invoked and completed, and
 * how it ended, in Jepsen's terms. Jepsen writes an {@code :invoke} and a completion event per
 * operation; here both are folded into one record written at completion, so a history is a set of
 * intervals {@code [invokeNanos, completeNanos]} on the run's monotonic clock.
 *
 * <p>{@link Outcome#OK}: the service acknowledged it ({@link #epoch}, {@link #node} and
 * {@link #duplicate} are those of the answer). {@link Outcome#FAIL}: refused with a typed error
 * ({@link #error} holds its code); such a request changed nothing. {@link Outcome#INFO}: unknown, the
 * client gave up; the operation may or may not have been applied, at most once.
 *
 * @param runId         the load run that sent it
 * @param process       the index of the sending thread (Jepsen's process)
 * <p>Holds (docs/holds.md): a {@link Type#HOLD} record's {@code reservationId} is the hold's id (when
 * acknowledged) and {@code expiresAtMs} its expiry as the service answered it; a {@link Type#CONFIRM} or
 * {@link Type#RELEASE} record's {@code reservationId} is the id of the hold it acts on (a confirmed hold becomes
 * the reservation with that id), its resource and quantity are the hold's, and its {@code expiresAtMs} the hold's
 * expiry. Records written before holds existed have no {@code expiresAtMs} and read back with it null.
 *
 * @param type          reserve, cancel, hold, confirm or release
 * @param clientId      the client id sent
 * @param operationId   the operation id sent (fresh for every operation, never reused)
 * @param resourceId    the resource reserved on (for a cancel: the reservation's resource)
 * @param quantity      the quantity reserved (for a cancel: the reservation's quantity)
 * @param reservationId the reservation created (reserve, when acknowledged) or cancelled (cancel); the hold
 *                      placed (hold, when acknowledged), confirmed or released (confirm, release)
 * @param outcome       ok, fail or info
 * @param invokeWallMs  wall clock, ms since the epoch, when the request was sent
 * @param completeWallMs wall clock when its outcome was known
 * @param invokeNanos   monotonic ns since the run started, when sent
 * @param completeNanos monotonic ns since the run started, when its outcome was known
 * @param epoch         the epoch of the acknowledged answer, null otherwise
 * @param node          the node of the acknowledged answer, null otherwise
 * @param duplicate     whether the acknowledged answer was marked duplicate, null otherwise
 * @param error         the refusal's code (fail), or {@code gave-up} / the exception type (info)
 * @param message       the error's message, null when acknowledged
 * @param expiresAtMs   holds only: the hold's expiry, wall clock ms since the epoch (of the node that placed
 *                      it), as acknowledged; null for reserve and cancel, and for a hold not acknowledged
 */
public record HistoryRecord(String runId, int process, Type type, String clientId, String operationId,
                            String resourceId, int quantity, String reservationId, Outcome outcome,
                            long invokeWallMs, long completeWallMs, long invokeNanos, long completeNanos,
                            Long epoch, String node, Boolean duplicate, String error, String message,
                            Long expiresAtMs) {

    /** What the operation was; written in lower case. */
    public enum Type { RESERVE, CANCEL, HOLD, CONFIRM, RELEASE }

    /** How it ended, in Jepsen's words; written in lower case. */
    public enum Outcome { OK, FAIL, INFO }

    public HistoryRecord {
        if (type == null || outcome == null || clientId == null || operationId == null) {
            throw new IllegalArgumentException("a history record needs a type, an outcome, a client id and an operation id");
        }
    }

    public boolean is(Type t, Outcome o) {
        return type == t && outcome == o;
    }
}
