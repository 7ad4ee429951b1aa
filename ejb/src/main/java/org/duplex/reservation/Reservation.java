package org.duplex.reservation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import org.duplex.reservation.api.ReservationResult;
import org.duplex.reservation.api.ReservationResult.Status;

/**
 * One reservation. Written with the same id and values to both databases; unique per
 * {@code (client_id, operation_id)}, which is what makes a resent request harmless.
 */
@Entity
@Table(name = "reservation")
@NamedQuery(name = Reservation.BY_OPERATION,
        query = "select r from Reservation r where r.clientId = :clientId and r.operationId = :operationId")
@NamedQuery(name = Reservation.BY_CANCEL_OPERATION,
        query = "select r from Reservation r where r.clientId = :clientId and r.cancelOperationId = :operationId")
@NamedQuery(name = Reservation.BY_CLIENT,
        query = "select r from Reservation r where r.clientId = :clientId order by r.createdAt, r.id")
public class Reservation {

    static final String BY_OPERATION = "Reservation.byOperation";
    static final String BY_CANCEL_OPERATION = "Reservation.byCancelOperation";
    static final String BY_CLIENT = "Reservation.byClient";

    @Id
    @Column(length = 64)
    private String id;

    @Column(name = "client_id", nullable = false, length = 64)
    private String clientId;

    @Column(name = "operation_id", nullable = false, length = 64)
    private String operationId;

    @Column(name = "resource_id", nullable = false, length = 64)
    private String resourceId;

    @Column(nullable = false)
    private int quantity;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Status status;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private long epoch;

    @Column(nullable = false, length = 64)
    private String node;

    @Column(name = "cancel_operation_id", length = 64)
    private String cancelOperationId;

    @Column(name = "cancelled_at")
    private Instant cancelledAt;

    /** Optimistic lock: an update made on a row that changed since it was read is refused, never lost. */
    @jakarta.persistence.Version
    @Column(nullable = false)
    private long version;

    protected Reservation() {
    }

    Reservation(String id, String clientId, String operationId, String resourceId, int quantity,
                Instant createdAt, long epoch, String node) {
        this.id = id;
        this.clientId = clientId;
        this.operationId = operationId;
        this.resourceId = resourceId;
        this.quantity = quantity;
        this.status = Status.ACTIVE;
        this.createdAt = createdAt;
        this.epoch = epoch;
        this.node = node;
    }

    String id() {
        return id;
    }
    String clientId() {
        return clientId;
    }
    String operationId() {
        return operationId;
    }
    String resourceId() {
        return resourceId;
    }
    int quantity() {
        return quantity;
    }
    Status status() {
        return status;
    }
    String cancelOperationId() {
        return cancelOperationId;
    }

    void cancel(String operationId, Instant at) {
        this.status = Status.CANCELLED;
        this.cancelOperationId = operationId;
        this.cancelledAt = at;
    }

    /** What the reserve that made this reservation answered, whatever happened to it since (a resend's answer). */
    ReservationResult reserveResult(boolean duplicate) {
        return new ReservationResult(id, clientId, operationId, resourceId, quantity, Status.ACTIVE, createdAt, epoch,
                node, duplicate);
    }

    ReservationResult result(boolean duplicate) {
        return new ReservationResult(id, clientId, operationId, resourceId, quantity, status, createdAt, epoch, node,
                duplicate);
    }
}
