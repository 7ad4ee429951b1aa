package org.duplex.reservation.api;

import java.io.Serializable;
import java.time.Instant;

/**
 * A hold as the service answered for it: {@code quantity} units of a resource kept for one client until
 * {@link #expiresAt()}, counted against the resource's capacity like reserved units, then either turned
 * into a reservation ({@link ReservationService#confirm}), given back ({@link ReservationService#release})
 * or expired. {@link #duplicate()} is true when the request that produced this answer had been applied
 * before (same client id and operation id): nothing was placed again, and the fields are the original's,
 * with the hold's {@link #status()} as it is now.
 *
 * <p>Its {@link #id()} is derived from {@code (clientId, operationId)} of the hold request, so a resend
 * finds the same hold on whichever node is primary; knowing an id gives no access to the hold: only its
 * own client may confirm, release or list it.
 */
public final class Hold implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Life cycle: {@code HELD} (live, its units counted), then one of {@code CONFIRMED} (a reservation
     * with the same id holds the units now), {@code RELEASED}, {@code EXPIRED}.
     */
    public enum Status { HELD, CONFIRMED, RELEASED, EXPIRED }

    private final String id;
    private final String clientId;
    private final String operationId;
    private final String resourceId;
    private final int quantity;
    private final Instant expiresAt;
    private final Status status;
    private final long epoch;
    private final String node;
    private final boolean duplicate;

    public Hold(String id, String clientId, String operationId, String resourceId, int quantity, Instant expiresAt,
                Status status, long epoch, String node, boolean duplicate) {
        this.id = id;
        this.clientId = clientId;
        this.operationId = operationId;
        this.resourceId = resourceId;
        this.quantity = quantity;
        this.expiresAt = expiresAt;
        this.status = status;
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
    /** The operation id of the hold request that placed it. */
    public String operationId() {
        return operationId;
    }
    public String resourceId() {
        return resourceId;
    }
    public int quantity() {
        return quantity;
    }
    /** When the hold lapses and its units are available again (wall clock of the node that placed it, millisecond precision). */
    public Instant expiresAt() {
        return expiresAt;
    }
    public Status status() {
        return status;
    }
    /** The epoch under which the hold was placed. */
    public long epoch() {
        return epoch;
    }
    /** The node that placed the hold. */
    public String node() {
        return node;
    }
    public boolean duplicate() {
        return duplicate;
    }

    @Override
    public String toString() {
        return "hold " + id + " client=" + clientId + " operation=" + operationId + " resource=" + resourceId
                + " quantity=" + quantity + " expiresAt=" + expiresAt + " status=" + status + " epoch=" + epoch
                + " node=" + node + (duplicate ? " (duplicate)" : "");
    }
}
