package org.duplex.detector;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One login in the node's Elytron security audit log ({@code configure-brute-force.cli} writes it as
 * JSON: {@code <time>,<priority>,{"event":"SecurityAuthenticationFailedEvent",...,"principal":"alice"}},
 * the successful ones naming the identity in {@code "security-identity":{"name":...}}). Pure; every other
 * line (permission checks, realm events, a torn last line) is no login.
 */
public record LoginAuditLine(String identity, boolean success) {

    private static final String STRING = "\"((?:[^\"\\\\]|\\\\.)*)\"";
    private static final Pattern FAILED = Pattern.compile("\"event\":\"SecurityAuthenticationFailedEvent\".*\"principal\":" + STRING);
    private static final Pattern SUCCEEDED = Pattern.compile(
            "\"event\":\"SecurityAuthenticationSuccessfulEvent\".*\"security-identity\":\\{\"name\":" + STRING);

    /** The login a line records, if it records one with a name. */
    public static Optional<LoginAuditLine> parse(String line) {
        Matcher failed = FAILED.matcher(line);
        if (failed.find()) {
            return Optional.of(new LoginAuditLine(unescape(failed.group(1)), false));
        }
        Matcher succeeded = SUCCEEDED.matcher(line);
        if (succeeded.find()) {
            return Optional.of(new LoginAuditLine(unescape(succeeded.group(1)), true));
        }
        return Optional.empty();
    }

    private static String unescape(String json) {
        return json.replaceAll("\\\\(.)", "$1");
    }
}
