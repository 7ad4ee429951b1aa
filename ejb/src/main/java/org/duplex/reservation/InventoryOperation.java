package org.duplex.reservation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import org.duplex.reservation.InventoryRequest.Kind;
import org.duplex.reservation.api.ResourceView;

/**
 * One applied inventory write (a creation or a capacity change): the request and the answer it got.
 * Written with the same id and values, in the write's transaction, to every database the write goes to;
 * unique per {@code (client_id, operation_id)}, which is what makes resending it harmless, as
 * {@link Reservation} does for reserve and cancel.
 */
@Entity
@Table(name = "inventory_operation")
@NamedQuery(name = InventoryOperation.BY_OPERATION,
        query = "select o from InventoryOperation o where o.clientId = :clientId and o.operationId = :operationId")
public class InventoryOperation {

    static final String BY_OPERATION = "InventoryOperation.byOperation";

    @Id
    @Column(length = 64)
    private String id;

    @Column(name = "client_id", nullable = false, length = 64)
    private String clientId;

    @Column(name = "operation_id", nullable = false, length = 64)
    private String operationId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Kind kind;

    @Column(name = "resource_id", nullable = false, length = 64)
    private String resourceId;

    @Column(nullable = false)
    private long capacity;

    @Column(name = "expected_version")
    private Long expectedVersion;

    @Column(nullable = false, length = 200)
    private String name;

    @Column(nullable = false)
    private long reserved;

    /** The resource's version in the answer; this row itself is written once and never updated. */
    @Column(nullable = false)
    private long version;

    @Column(name = "applied_at", nullable = false)
    private Instant appliedAt;

    @Column(nullable = false)
    private long epoch;

    @Column(nullable = false, length = 64)
    private String node;

    protected InventoryOperation() {
    }

    InventoryOperation(String id, InventoryRequest request, ResourceView answer, Instant appliedAt, long epoch,
                       String node) {
        this.id = id;
        this.clientId = request.clientId();
        this.operationId = request.operationId();
        this.kind = request.kind();
        this.resourceId = request.resourceId();
        this.capacity = request.capacity();
        this.expectedVersion = request.expectedVersion();
        this.name = answer.name();
        this.reserved = answer.reserved();
        this.version = answer.version();
        this.appliedAt = appliedAt;
        this.epoch = epoch;
        this.node = node;
    }

    /** The request that was applied: a creation's name is the resource's. */
    InventoryRequest request() {
        return new InventoryRequest(kind, clientId, operationId, resourceId, kind == Kind.CREATE ? name : null,
                capacity, expectedVersion);
    }

    /** What the write answered, whatever happened to the resource since (a resend's answer). */
    ResourceView answer(boolean duplicate) {
        return new ResourceView(resourceId, name, capacity, reserved, version, duplicate);
    }
}
