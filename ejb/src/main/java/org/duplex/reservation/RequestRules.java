package org.duplex.reservation;

import java.util.regex.Pattern;
import org.duplex.reservation.api.InvalidRequestException;
import org.duplex.reservation.api.ReservationService;

/**
 * The input rules every request is checked against before anything is read or written. Pure: no
 * server, no database, so it is unit-tested on its own. Each refusal names the field and the rule.
 */
final class RequestRules {

    /** Ids are words: letters, digits and {@code . _ : @ -}; no spaces, no control characters. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]+");

    private RequestRules() {
    }

    static String id(String field, String value) throws InvalidRequestException {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field + " is required and must not be blank");
        }
        if (value.length() > ReservationService.MAX_ID_LENGTH) {
            throw new InvalidRequestException(field + " is " + value.length() + " characters long; at most "
                    + ReservationService.MAX_ID_LENGTH + " are allowed");
        }
        if (!ID.matcher(value).matches()) {
            throw new InvalidRequestException(field + " may hold only letters, digits and . _ : @ - (got '"
                    + printable(value) + "')");
        }
        return value;
    }

    static int quantity(int quantity) throws InvalidRequestException {
        if (quantity < 1 || quantity > ReservationService.MAX_QUANTITY) {
            throw new InvalidRequestException("quantity must be between 1 and " + ReservationService.MAX_QUANTITY
                    + " (got " + quantity + ")");
        }
        return quantity;
    }

    /** A hold's duration in seconds: 1 to {@link ReservationService#MAX_HOLD_SECONDS}. */
    static int holdSeconds(int seconds) throws InvalidRequestException {
        if (seconds < 1 || seconds > ReservationService.MAX_HOLD_SECONDS) {
            throw new InvalidRequestException("seconds must be between 1 and " + ReservationService.MAX_HOLD_SECONDS
                    + " (got " + seconds + ")");
        }
        return seconds;
    }

    static long capacity(long capacity) throws InvalidRequestException {
        if (capacity < 0 || capacity > ReservationService.MAX_CAPACITY) {
            throw new InvalidRequestException("capacity must be between 0 and " + ReservationService.MAX_CAPACITY
                    + " (got " + capacity + ")");
        }
        return capacity;
    }

    static String name(String name) throws InvalidRequestException {
        if (name == null || name.isBlank()) {
            throw new InvalidRequestException("name is required and must not be blank");
        }
        if (name.length() > ReservationService.MAX_NAME_LENGTH) {
            throw new InvalidRequestException("name is " + name.length() + " characters long; at most "
                    + ReservationService.MAX_NAME_LENGTH + " are allowed");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("name must not contain control characters");
        }
        return name;
    }

    private static String printable(String value) {
        String shown = value.length() > 20 ? value.substring(0, 20) + "..." : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
