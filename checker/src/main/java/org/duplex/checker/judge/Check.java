package org.duplex.checker.judge;

import java.util.List;

/**
 * One line of {@code verify}: passed or not, what was checked, and the rows that show a failure
 * (at most {@link #MAX_DETAILS}).
 */
public record Check(boolean ok, String text, List<String> details) {

    public static final int MAX_DETAILS = 40;

    public Check {
        details = List.copyOf(details.size() > MAX_DETAILS ? details.subList(0, MAX_DETAILS) : details);
    }

    public static Check ok(String text) {
        return new Check(true, text, List.of());
    }

    public static Check fail(String text, List<String> details) {
        return new Check(false, text, details);
    }

    /** As the launcher has always printed it: {@code ok    ...} or {@code FAIL  ...}, details indented. */
    public String render() {
        StringBuilder sb = new StringBuilder(ok ? "ok    " : "FAIL  ").append(text);
        for (String d : details) {
            sb.append(System.lineSeparator()).append("      ").append(d);
        }
        return sb.toString();
    }
}
