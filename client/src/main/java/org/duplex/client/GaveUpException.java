package org.duplex.client;

/**
 * A request that did not get an answer before its deadline, after retrying through failures and
 * primary changes. The outcome of the last attempt is unknown: resending the same request (same
 * client id and operation id) later is safe, the service applies it at most once.
 */
public class GaveUpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int attempts;
    private final long elapsedMs;

    public GaveUpException(String operation, int attempts, long elapsedMs, Throwable lastCause) {
        super("gave up on " + operation + " after " + attempts + " attempt(s) in " + elapsedMs + " ms: "
                + describe(lastCause), lastCause);
        this.attempts = attempts;
        this.elapsedMs = elapsedMs;
    }

    public int attempts() {
        return attempts;
    }

    public long elapsedMs() {
        return elapsedMs;
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "no attempt could be made";
        }
        StringBuilder sb = new StringBuilder(t.getClass().getName());
        if (t.getMessage() != null) {
            sb.append(": ").append(t.getMessage());
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != t) {
            sb.append(" (caused by ").append(root.getClass().getName());
            if (root.getMessage() != null) {
                sb.append(": ").append(root.getMessage());
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
