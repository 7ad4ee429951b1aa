package org.duplex.reservation.api;

/** The hold named lapsed before it was confirmed or released: its units are available again. Place a new hold. */
public class HoldExpiredException extends DuplexException {
    private static final long serialVersionUID = 1L;

    public HoldExpiredException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "hold-expired";
    }
}
