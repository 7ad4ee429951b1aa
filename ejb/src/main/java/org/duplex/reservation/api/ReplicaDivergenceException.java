package org.duplex.reservation.api;

/** The two databases disagree about a row this write touches; the write was refused to avoid making it worse. */
public class ReplicaDivergenceException extends DuplexException {
    private static final long serialVersionUID = 1L;

    public ReplicaDivergenceException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "replica-divergence";
    }

}
