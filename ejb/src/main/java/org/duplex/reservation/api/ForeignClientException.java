package org.duplex.reservation.api;

/**
 * The caller asked to act for a client id that belongs to another user (see {@link ClientIds} for the
 * rule). Refused before anything is read or written; resending it as the same user never succeeds.
 */
public class ForeignClientException extends DuplexException {
    private static final long serialVersionUID = 1L;

    public ForeignClientException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "foreign-client";
    }
}
