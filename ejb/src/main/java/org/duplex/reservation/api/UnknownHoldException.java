package org.duplex.reservation.api;

/**
 * This client has no hold with the given id that can be acted on: never placed (or placed for another
 * client), released, or already confirmed by another operation.
 */
public class UnknownHoldException extends DuplexException {
    private static final long serialVersionUID = 1L;

    public UnknownHoldException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "unknown-hold";
    }
}
