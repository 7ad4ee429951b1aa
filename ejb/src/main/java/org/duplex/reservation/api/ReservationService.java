package org.duplex.reservation.api;

import java.util.List;

/**
 * The reservation service as remote clients see it.
 *
 * <p>Guarantees: every write (create, reserve, cancel, capacity change) is one JTA transaction that
 * writes the same rows, with the same ids, to both databases, or to neither. Every write carries a
 * {@code (clientId, operationId)} pair; one that was already applied is not applied again: it returns the
 * original result with {@link ReservationResult#duplicate()} or {@link ResourceView#duplicate()} set, so
 * a client may resend a request after any failure. Bad input is refused with a typed {@link DuplexException} before anything is
 * written. Reads come from the serving node's own database.
 *
 * <p>Not guaranteed: that the node answering is the primary; a node that is not gets a
 * {@link NotPrimaryException} and the client is expected to re-read {@code reservation/primary}.
 */
public interface ReservationService {

    /** Largest quantity one reservation may hold. */
    int MAX_QUANTITY = 1000;
    /** Largest capacity one resource may have. */
    long MAX_CAPACITY = 1_000_000_000L;
    /** Longest client id, operation id, resource id or reservation id accepted. */
    int MAX_ID_LENGTH = 64;
    /** Longest resource name accepted. */
    int MAX_NAME_LENGTH = 200;
    /** How long a hold lasts when the caller gives no duration, in seconds. */
    int DEFAULT_HOLD_SECONDS = 600;
    /** The longest hold that may be placed, in seconds (one hour): holds are short-lived by design (docs/holds.md). */
    int MAX_HOLD_SECONDS = 3600;

    /**
     * Creates a resource, exactly once per {@code (clientId, operationId)}: resending the same request
     * returns the resource as that creation answered it, marked {@link ResourceView#duplicate()}, whatever
     * happened to it since. A new request (another operation id) for an id that exists is a
     * {@link RequestConflictException}, and so is the operation id reused for another request.
     */
    ResourceView createResource(String clientId, String operationId, String resourceId, String name, long capacity)
            throws DuplexException;

    /**
     * Changes a resource's capacity, exactly once per {@code (clientId, operationId)}, and optimistically:
     * {@code expectedVersion} must be the version the caller read, or the change is refused with a
     * {@link ConcurrentUpdateException}. The capacity may not go below what is already reserved. Resending
     * a change that was applied returns its original answer marked {@link ResourceView#duplicate()}, never
     * a version conflict; the operation id reused for another request is a {@link RequestConflictException}.
     */
    ResourceView changeCapacity(String clientId, String operationId, String resourceId, long newCapacity,
                                long expectedVersion) throws DuplexException;

    ResourceView getResource(String resourceId) throws DuplexException;

    List<ResourceView> listResources() throws DuplexException;

    /** Reserves {@code quantity} units of a resource, exactly once per {@code (clientId, operationId)}. */
    ReservationResult reserve(String clientId, String operationId, String resourceId, int quantity)
            throws DuplexException;

    /**
     * Cancels a reservation of this client, exactly once per {@code (clientId, operationId)}: resending
     * the same cancel returns the cancelled reservation marked duplicate.
     */
    ReservationResult cancel(String clientId, String operationId, String reservationId) throws DuplexException;

    /** One reservation of this client, by id. */
    ReservationResult getReservation(String clientId, String reservationId) throws DuplexException;

    /** Every reservation of this client, oldest first. */
    List<ReservationResult> listReservations(String clientId) throws DuplexException;

    /**
     * Holds {@code quantity} units of a resource for {@code seconds} (1 to {@link #MAX_HOLD_SECONDS};
     * {@link #DEFAULT_HOLD_SECONDS} is what clients send when the user gives none), exactly once per
     * {@code (clientId, operationId)}: a resend returns the same hold marked duplicate, with its status as it
     * is now. Held units count against the capacity like reserved ones: reserved + held never exceeds it.
     * A hold is acknowledged only once both nodes have it (docs/holds.md).
     *
     * @return the hold, with its id and expiry
     * @throws InvalidRequestException      a missing or malformed id, a quantity or duration out of range
     * @throws UnknownResourceException     no such resource
     * @throws OverbookingException         fewer units available than requested
     * @throws RequestConflictException     the operation id was used for another hold
     * @throws HoldsUnavailableException    the other node is absent or slow; resend later (retryable)
     * @throws NotPrimaryException          this node is not the primary (retryable elsewhere)
     */
    Hold hold(String clientId, String operationId, String resourceId, int quantity, int seconds)
            throws DuplexException;

    /**
     * Turns a live hold of this client into a reservation, in one XA write like {@link #reserve}: the
     * reservation takes the hold's id, resource and quantity, and never fails for lack of capacity (the
     * held units are its own). Exactly once per {@code (clientId, operationId)}: a resend returns the
     * reservation marked duplicate.
     *
     * @throws HoldExpiredException      the hold lapsed first
     * @throws UnknownHoldException      no such live hold of this client (released, or confirmed by another operation)
     * @throws RequestConflictException  the operation id was used for another request
     */
    ReservationResult confirm(String clientId, String operationId, String holdId) throws DuplexException;

    /**
     * Gives a live hold of this client back: its units are available at once. Exactly once per
     * {@code (clientId, operationId)}: a resend returns the released hold marked duplicate.
     *
     * @throws HoldExpiredException      the hold lapsed first
     * @throws UnknownHoldException      no such live hold of this client (or it was confirmed)
     * @throws RequestConflictException  the operation id was used for another request
     */
    Hold release(String clientId, String operationId, String holdId) throws DuplexException;

    /** The live holds of this client, soonest expiry first, as the primary holds them. */
    List<Hold> listHolds(String clientId) throws DuplexException;

    /** Which node answered, and what it believes about the cluster: cheap, reads one row. */
    NodeInfo nodeInfo() throws DuplexException;
}
