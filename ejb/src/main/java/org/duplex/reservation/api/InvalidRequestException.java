package org.duplex.reservation.api;

/** A request field is missing, blank, too long, malformed or out of range; the message names the field. */
public class InvalidRequestException extends DuplexException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "invalid-request";
    }

}
