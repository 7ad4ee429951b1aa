package org.duplex.checker.judge;

/** {@code (client_id, operation_id)}: what makes a write exactly-once. */
public record OperationKey(String clientId, String operationId) {
    @Override
    public String toString() {
        return clientId + "/" + operationId;
    }
}
