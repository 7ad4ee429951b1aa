package org.duplex.detector;

import jakarta.ejb.ApplicationException;

/** A compare-and-set of the epoch found another epoch or primary than expected: someone moved first. */
@ApplicationException(rollback = true)
public class StaleEpochException extends Exception {
    private static final long serialVersionUID = 1L;

    public StaleEpochException(String message) {
        super(message);
    }
}
