package org.duplex.checker.judge;

/**
 * One row of {@code reservation} as a data database holds it; timestamps as the database printed
 * them, compared as text. {@code epoch} and {@code node} say who committed the reserve.
 */
public record ReservationRow(String id, String clientId, String operationId, String resourceId, int quantity,
                             String status, String createdAt, long epoch, String node,
                             String cancelOperationId, String cancelledAt) {

    /** The status string the service writes for a live reservation (enum name, see Reservation.java). */
    public static final String ACTIVE = "ACTIVE";
    public static final String CANCELLED = "CANCELLED";

    public boolean active() {
        return ACTIVE.equals(status);
    }

    /** The exactly-once key of the reserve that made this row. */
    public OperationKey key() {
        return new OperationKey(clientId, operationId);
    }
}
