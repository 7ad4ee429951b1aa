package org.duplex.bench.report;

import java.util.Locale;

/**
 * How the report writes a number: with a dot whatever the machine's locale (the markdown is committed and
 * diffed), and without a trailing ".0" on counts and whole milliseconds so the tables stay narrow.
 */
final class ReportNumbers {

    private ReportNumbers() {
    }

    /** A whole number as such, otherwise rounded to {@code decimals} places. */
    static String format(double value, int decimals) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return fixed(value, decimals);
    }

    /** Always {@code decimals} places: for ratios, where "1.00" and "0.38" should line up. */
    static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
