package org.duplex.reservation.api;

/** A database this write must reach is unreachable; nothing was written. Resend later. */
public class ReplicaUnavailableException extends DuplexException {
    private static final long serialVersionUID = 1L;

    public ReplicaUnavailableException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "replica-unavailable";
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
