package org.duplex.client.cli;

import org.duplex.reservation.api.ReservationService;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A whole-number option within its range, checked while the command line is parsed: anything else is a usage
 * error (exit code 2) naming the option, before any request is sent. Each range is a subclass, named for
 * what it bounds, that picocli instantiates as the option's converter.
 */
abstract class WholeNumber implements ITypeConverter<Long> {

    private final long min;
    private final long max;

    WholeNumber(long min, long max) {
        this.min = min;
        this.max = max;
    }

    /**
     * @param value the option's value as given
     * @return the number, within [min, max]
     * @throws TypeConversionException it is not a whole number, or out of range
     */
    @Override
    public Long convert(String value) {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("must be a whole number, not '" + value + "'");
        }
        if (n < min || n > max) {
            throw new TypeConversionException("must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }

    /** 1 or more: a deadline in ms. */
    static final class Positive extends WholeNumber {
        Positive() {
            super(1, Long.MAX_VALUE);
        }
    }

    /** Any int: the service itself refuses a bad quantity with a typed error, which the client then shows. */
    static final class AnyInt extends WholeNumber {
        AnyInt() {
            super(Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
    }

    /** Any long: the service itself refuses a bad capacity with a typed error. */
    static final class AnyLong extends WholeNumber {
        AnyLong() {
            super(Long.MIN_VALUE, Long.MAX_VALUE);
        }
    }

    /** A reservation's quantity the service accepts, 1 to {@link ReservationService#MAX_QUANTITY}. */
    static final class Quantity extends WholeNumber {
        Quantity() {
            super(1, ReservationService.MAX_QUANTITY);
        }
    }

    /** A resource's capacity the service accepts, 1 to {@link ReservationService#MAX_CAPACITY}. */
    static final class Capacity extends WholeNumber {
        Capacity() {
            super(1, ReservationService.MAX_CAPACITY);
        }
    }

    /** How many resources seed makes, 1 to 1000. */
    static final class SeedCount extends WholeNumber {
        SeedCount() {
            super(1, 1000);
        }
    }

    /** Load threads, {@link LoadGenerator#MIN_THREADS} to {@link LoadGenerator#MAX_THREADS}. */
    static final class Threads extends WholeNumber {
        Threads() {
            super(LoadGenerator.MIN_THREADS, LoadGenerator.MAX_THREADS);
        }
    }

    /** A load's length in seconds, {@link LoadGenerator#MIN_DURATION_S} to {@link LoadGenerator#MAX_DURATION_S}. */
    static final class DurationSeconds extends WholeNumber {
        DurationSeconds() {
            super(LoadGenerator.MIN_DURATION_S, LoadGenerator.MAX_DURATION_S);
        }
    }

    /** A percentage, 0 to {@link LoadGenerator#MAX_CANCEL_PERCENT}. */
    static final class Percent extends WholeNumber {
        Percent() {
            super(0, LoadGenerator.MAX_CANCEL_PERCENT);
        }
    }

    /** A hold's duration the service accepts, 1 to {@link ReservationService#MAX_HOLD_SECONDS} seconds. */
    static final class HoldSeconds extends WholeNumber {
        HoldSeconds() {
            super(1, ReservationService.MAX_HOLD_SECONDS);
        }
    }
}
