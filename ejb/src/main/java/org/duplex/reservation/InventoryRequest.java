package org.duplex.reservation;

import org.duplex.reservation.api.InvalidRequestException;
import org.duplex.reservation.api.RequestConflictException;

/**
 * An inventory write as the client sent it, checked against {@link RequestRules}: what a resend under the
 * same {@code (clientId, operationId)} must repeat to be answered with the original result. Pure, so the
 * rule that tells a resend from a reused operation id is unit-tested on its own.
 *
 * @param name            the resource's name (a creation only; null for a capacity change)
 * @param capacity        the capacity asked for: the new resource's, or the new one
 * @param expectedVersion the version the caller read (a capacity change only; null for a creation)
 */
record InventoryRequest(Kind kind, String clientId, String operationId, String resourceId, String name, long capacity,
                        Long expectedVersion) {

    /** Which write; stored by name in {@code inventory_operation.kind}. */
    enum Kind { CREATE, CAPACITY }

    static InventoryRequest create(String clientId, String operationId, String resourceId, String name, long capacity)
            throws InvalidRequestException {
        ids(clientId, operationId, resourceId);
        return new InventoryRequest(Kind.CREATE, clientId, operationId, resourceId, RequestRules.name(name),
                RequestRules.capacity(capacity), null);
    }

    static InventoryRequest changeCapacity(String clientId, String operationId, String resourceId, long newCapacity,
                                           long expectedVersion) throws InvalidRequestException {
        ids(clientId, operationId, resourceId);
        return new InventoryRequest(Kind.CAPACITY, clientId, operationId, resourceId, null,
                RequestRules.capacity(newCapacity), expectedVersion);
    }

    private static void ids(String clientId, String operationId, String resourceId) throws InvalidRequestException {
        RequestRules.id("clientId", clientId);
        RequestRules.id("operationId", operationId);
        RequestRules.id("resourceId", resourceId);
    }

    /**
     * Accepts this request as a resend of {@code earlier}, the one applied under the same operation id,
     * only if it asks for exactly the same thing; otherwise the operation id was reused for a new request.
     *
     * @throws RequestConflictException the operation id was used for another request
     */
    void checkResendOf(InventoryRequest earlier) throws RequestConflictException {
        boolean same = kind == earlier.kind && resourceId.equals(earlier.resourceId) && capacity == earlier.capacity
                && java.util.Objects.equals(name, earlier.name)
                && java.util.Objects.equals(expectedVersion, earlier.expectedVersion);
        if (!same) {
            throw new RequestConflictException("operation " + operationId + " of client " + clientId
                    + " was already used to " + earlier.describe() + "; use a new operation id for a new request");
        }
    }

    /** The request in words, for a refusal. */
    String describe() {
        return kind == Kind.CREATE
                ? "create resource " + resourceId + " '" + name + "' with capacity " + capacity
                : "change the capacity of " + resourceId + " to " + capacity + " at version " + expectedVersion;
    }
}
