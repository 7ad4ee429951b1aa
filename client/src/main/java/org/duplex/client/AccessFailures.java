package org.duplex.client;

import jakarta.ejb.EJBAccessException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.security.cert.CertificateException;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.security.sasl.SaslException;

/**
 * Tells a refusal of the caller's credentials or rights, which no resend can cure, from a transport
 * failure, which a resend to the same or another node may. Pure: looks only at the exception, its causes
 * and what they suppressed; unit-tested on its own.
 *
 * <p>How a refusal surfaces, as jboss-remoting 5 in wildfly-client-all 39.0.1.Final builds it: a node that
 * rejects DIGEST-MD5 (wrong password, unknown user, or an identity locked by the brute-force mitigation)
 * ends the connection attempt with a {@link SaslException} "Authentication failed: all available
 * authentication mechanisms failed: ... Server rejected authentication" (or "the server presented no
 * authentication mechanisms"), wrapped in whatever the naming or EJB client throws. A connection that
 * drops or times out during authentication fails with an {@code IOException} (jboss-remoting's
 * {@code JBREM000300} I/O error, {@code JBREM000305} connection closed, {@code JBREM000307} interrupted):
 * that is a transport failure and stays retryable. A missing role is the container's
 * {@link EJBAccessException}. Over {@code remote+https}, a node whose certificate this client does not trust
 * fails the handshake with an {@link SSLHandshakeException} caused by a {@link CertificateException} (XNIO001011
 * "PKIX path building failed" for a certificate of another CA): the client's trust is wrong, and no resend to
 * any node will change that.
 */
final class AccessFailures {

    /** jboss-remoting's own authentication failures that are about the transport, not the credentials. */
    private static final String[] TRANSPORT_CODES = {"JBREM000300", "JBREM000305", "JBREM000307"};

    private AccessFailures() {
    }

    /**
     * What the failure refused, or null when it is no refusal of credentials or rights (retry it).
     *
     * @param failure what an attempt threw; may be null
     */
    static AccessRefusedException.Reason classify(Throwable failure) {
        boolean rights = false;
        Deque<Throwable> todo = new ArrayDeque<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        if (failure != null) {
            todo.add(failure);
        }
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (seen.put(t, Boolean.TRUE) != null) {
                continue;
            }
            if (t instanceof SSLHandshakeException && causedBy(t, CertificateException.class)) {
                return AccessRefusedException.Reason.UNTRUSTED_CERTIFICATE;
            }
            if (isTransport(t)) {
                return null;
            }
            if (t instanceof SaslException || t instanceof javax.naming.AuthenticationException) {
                return AccessRefusedException.Reason.AUTHENTICATION;
            }
            if (t instanceof EJBAccessException) {
                rights = true;
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            for (Throwable s : t.getSuppressed()) {
                todo.add(s);
            }
        }
        return rights ? AccessRefusedException.Reason.AUTHORISATION : null;
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransport(Throwable t) {
        String message = t.getMessage();
        if (message == null) {
            return false;
        }
        for (String code : TRANSPORT_CODES) {
            if (message.startsWith(code)) {
                return true;
            }
        }
        return false;
    }
}
