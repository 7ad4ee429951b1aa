package org.duplex.reservation.api;

import java.io.Serializable;
import java.time.Instant;

/**
 * A reservation as the service answered for it. {@link #duplicate()} is true when the request that
 * produced this answer had been applied before (same client id and operation id): nothing was
 * written again, and the fields are those of the original.
 */
public final class ReservationResult implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Life cycle of a reservation. */
    public enum Status { ACTIVE, CANCELLED }

    private final String id;
    private final String clientId;
    private final String operationId;
    private final String resourceId;
    private final int quantity;
    private final Status status;
    private final Instant createdAt;
    private final long epoch;
    private final String node;
    private final boolean duplicate;

    public ReservationResult(String id, String clientId, String operationId, String resourceId, int quantity,
                             Status status, Instant createdAt, long epoch, String node, boolean duplicate) {
        this.id = id;
        this.clientId = clientId;
        this.operationId = operationId;
        this.resourceId = resourceId;
        this.quantity = quantity;
        this.status = status;
        this.createdAt = createdAt;
        this.epoch = epoch;
        this.node = node;
        this.duplicate = duplicate;
    }

    public String id() {
        return id;
    }
    public String clientId() {
        return clientId;
    }
    public String operationId() {
        return operationId;
    }
    public String resourceId() {
        return resourceId;
    }
    public int quantity() {
        return quantity;
    }
    public Status status() {
        return status;
    }
    public Instant createdAt() {
        return createdAt;
    }
    /** The epoch under which the reservation was written. */
    public long epoch() {
        return epoch;
    }
    /** The node that wrote the reservation. */
    public String node() {
        return node;
    }
    public boolean duplicate() {
        return duplicate;
    }

    @Override
    public String toString() {
        return "reservation " + id + " client=" + clientId + " operation=" + operationId + " resource=" + resourceId
                + " quantity=" + quantity + " status=" + status + " epoch=" + epoch + " node=" + node
                + (duplicate ? " (duplicate)" : "");
    }
}
