package org.duplex.reservation.api;

/** This node is not the primary according to the databases (it was demoted, or never was): look up reservation/primary again and resend. */
public class NotPrimaryException extends DuplexException {
    private static final long serialVersionUID = 1L;

    public NotPrimaryException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "not-primary";
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
