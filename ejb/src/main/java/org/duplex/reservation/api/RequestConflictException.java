package org.duplex.reservation.api;

/** The request contradicts what is already there: a resource id defined differently, an operation id reused for another request, a reservation already cancelled by another operation. */
public class RequestConflictException extends DuplexException {
    private static final long serialVersionUID = 1L;

    public RequestConflictException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "conflict";
    }

}
