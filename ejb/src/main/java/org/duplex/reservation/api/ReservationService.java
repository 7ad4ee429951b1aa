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

    /** Which node answered, and what it believes about the cluster: cheap, reads one row. */
    NodeInfo nodeInfo() throws DuplexException;
}
