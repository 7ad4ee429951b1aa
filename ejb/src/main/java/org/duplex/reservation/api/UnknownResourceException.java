package org.duplex.reservation.api;

/** No resource has the given id. */
public class UnknownResourceException extends DuplexException {
    private static final long serialVersionUID = 1L;

    public UnknownResourceException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "unknown-resource";
    }

}
