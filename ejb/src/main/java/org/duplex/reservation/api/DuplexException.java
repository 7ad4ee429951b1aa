package org.duplex.reservation.api;

import jakarta.ejb.ApplicationException;

/**
 * A refused request, typed. Thrown before anything is written, or with the transaction rolled back in
 * both databases: a request that ends in a {@code DuplexException} changed nothing.
 * {@link #retryable()} says whether the same request may succeed if sent again (to the primary, later).
 */
@ApplicationException(rollback = true, inherited = true)
public abstract class DuplexException extends Exception {
    private static final long serialVersionUID = 1L;

    protected DuplexException(String message) {
        super(message);
    }

    /** A short stable name of the error, for scripts and JSON: {@code invalid-request}, {@code overbooking}... */
    public abstract String code();

    /** True when resending the same request (same operation id) later may succeed. */
    public boolean retryable() {
        return false;
    }
}
