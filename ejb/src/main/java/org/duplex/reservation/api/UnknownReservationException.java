package org.duplex.reservation.api;

/** This client has no reservation with the given id. */
public class UnknownReservationException extends DuplexException {
    private static final long serialVersionUID = 1L;

    public UnknownReservationException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "unknown-reservation";
    }

}
