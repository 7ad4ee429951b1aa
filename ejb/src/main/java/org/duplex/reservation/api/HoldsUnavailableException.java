package org.duplex.reservation.api;

/**
 * A hold cannot be placed now without risking its loss: the other node is absent from the cluster view
 * (a hold must live on both nodes before it is acknowledged), or it did not answer within the cache's
 * deadline. Nothing was placed. Resend the same request (same operation id) later; reservations are not
 * affected.
 */
public class HoldsUnavailableException extends DuplexException {
    private static final long serialVersionUID = 1L;

    public HoldsUnavailableException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "holds-unavailable";
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
