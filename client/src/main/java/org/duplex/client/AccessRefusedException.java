package org.duplex.client;

import jakarta.ejb.EJBAccessException;

/**
 * The cluster refused this client's credentials or rights: resending will not help, so the client
 * library never resends it and throws it at once, naming the user and the node that refused.
 *
 * <p>{@link Reason#AUTHENTICATION}: the node did not accept the user and password (SASL DIGEST-MD5 was
 * rejected): a wrong password or user, or an identity that WildFly's brute-force mitigation has locked
 * out after repeated failures on that node (enabled by default since WildFly 39.0.1 for CVE-2025-23368;
 * see docs/operating.md, Security). Resending would only add failed attempts and extend the lockout.
 * {@link Reason#AUTHORISATION}: the user was authenticated but lacks the role the call needs.
 * {@link Reason#UNTRUSTED_CERTIFICATE}: over {@code remote+https} the node presented a certificate that this
 * client's trust ({@code caCertificate}, else the JVM's) does not accept: the configuration names the wrong CA.
 *
 * <p>An {@link EJBAccessException}, so that callers which caught the container's own refusal still do.
 */
public class AccessRefusedException extends EJBAccessException {
    private static final long serialVersionUID = 1L;

    /** What was refused: who the caller is, or what it may do. */
    public enum Reason { AUTHENTICATION, AUTHORISATION, UNTRUSTED_CERTIFICATE }

    private final Reason reason;
    private final String user;
    private final String node;

    /**
     * @param reason what was refused
     * @param user the configured user
     * @param node the node that refused, as the client knows it (its name and URL, or its URL)
     * @param cause what the EJB or naming client threw
     */
    public AccessRefusedException(Reason reason, String user, String node, Throwable cause) {
        super(message(reason, user, node, cause));
        initCause(cause);
        this.reason = reason;
        this.user = user;
        this.node = node;
    }

    public Reason reason() {
        return reason;
    }

    public String user() {
        return user;
    }

    public String node() {
        return node;
    }

    private static String message(Reason reason, String user, String node, Throwable cause) {
        if (reason == Reason.AUTHENTICATION) {
            return node + " refused to authenticate user " + user + ": wrong user or password, or the identity is"
                    + " locked out on that node after repeated failed logins (./duplex status shows lockouts)";
        }
        if (reason == Reason.UNTRUSTED_CERTIFICATE) {
            return node + " presented a TLS certificate this client does not trust: caCertificate= must name the CA"
                    + " that signed the nodes' certificates (./duplex writes target/duplex/tls/ca.pem)";
        }
        return node + " refused user " + user + ": " + (cause == null ? "not allowed" : cause.getMessage());
    }
}
