package org.duplex.reservation.api;

/** The resource has fewer units available than requested, or a capacity change would go below what is reserved. */
public class OverbookingException extends DuplexException {
    private static final long serialVersionUID = 1L;

    public OverbookingException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "overbooking";
    }

}
