package org.duplex.reservation.api;

/** The row changed since the caller read it (optimistic concurrency): read it again and decide again. */
public class ConcurrentUpdateException extends DuplexException {
    private static final long serialVersionUID = 1L;

    public ConcurrentUpdateException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "concurrent-update";
    }

}
