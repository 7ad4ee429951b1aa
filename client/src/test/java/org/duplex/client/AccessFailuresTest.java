package org.duplex.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.ejb.EJBAccessException;
import jakarta.ejb.EJBException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import javax.naming.CommunicationException;
import javax.naming.NamingException;
import javax.security.sasl.SaslException;
import org.duplex.client.AccessRefusedException.Reason;
import org.junit.jupiter.api.Test;

/** The exception chains as the naming and EJB clients of wildfly-client-all 39.0.1.Final build them. */
class AccessFailuresTest {

    private static SaslException rejected() {
        SaslException all = new SaslException("Authentication failed: all available authentication mechanisms failed:\n"
                + "   DIGEST-MD5: Server rejected authentication");
        all.addSuppressed(new SaslException("DIGEST-MD5: Server rejected authentication"));
        return all;
    }

    private static NamingException naming(Throwable root) {
        NamingException e = new CommunicationException("WFNAM00018: Failed to connect to remote host");
        e.setRootCause(root);
        return e;
    }

    @Test
    void aRejectedLoginOnLookupIsAnAuthenticationRefusal() {
        assertEquals(Reason.AUTHENTICATION, AccessFailures.classify(naming(rejected())));
        assertEquals(Reason.AUTHENTICATION, AccessFailures.classify(
                naming(new SaslException("Authentication failed: the server presented no authentication mechanisms"))));
        assertEquals(Reason.AUTHENTICATION, AccessFailures.classify(new javax.naming.AuthenticationException("no")));
    }

    @Test
    void aRejectedLoginOnInvocationIsFoundAmongTheDestinationsFailures() {
        EJBException noDestination = new EJBException("EJBCLIENT000409: No more destinations are available");
        noDestination.addSuppressed(new IOException("connect", rejected()));
        assertEquals(Reason.AUTHENTICATION, AccessFailures.classify(noDestination));
    }

    @Test
    void aMissingRoleIsAnAuthorisationRefusal() {
        assertEquals(Reason.AUTHORISATION, AccessFailures.classify(
                new EJBAccessException("WFLYEJB0364: Invocation on method ... is not allowed")));
        assertEquals(Reason.AUTHORISATION, AccessFailures.classify(
                new java.util.concurrent.ExecutionException(new EJBAccessException("not allowed"))));
    }

    @Test
    void aCertificateOfAnotherCaIsFinal() {
        // as wildfly-client-all 39.0.1.Final reports it (a node whose CA the client's caCertificate is not)
        Exception pkix = new java.security.cert.CertificateException("PKIX path building failed: "
                + "unable to find valid certification path to requested target");
        javax.net.ssl.SSLHandshakeException jdk = new javax.net.ssl.SSLHandshakeException("PKIX path building failed");
        jdk.initCause(pkix);
        javax.net.ssl.SSLHandshakeException xnio = new javax.net.ssl.SSLHandshakeException("XNIO001011: PKIX path building failed");
        xnio.initCause(jdk);
        assertEquals(Reason.UNTRUSTED_CERTIFICATE, AccessFailures.classify(naming(xnio)));
        // a handshake that ended for another reason (the node died mid-handshake) stays retryable
        assertNull(AccessFailures.classify(naming(new javax.net.ssl.SSLHandshakeException("Remote host terminated the handshake"))));
    }

    @Test
    void transportFailuresStayRetryable() {
        assertNull(AccessFailures.classify(null));
        assertNull(AccessFailures.classify(naming(new ConnectException("Connection refused"))));
        assertNull(AccessFailures.classify(new TimeoutException("no answer within 3000 ms")));
        assertNull(AccessFailures.classify(new EJBException("EJBCLIENT000409: No more destinations are available")));
        // the connection dropped during the handshake (a node killed mid-login): jboss-remoting's own codes
        for (String message : new String[] {"JBREM000305: Authentication failed (connection closed)",
                "JBREM000300: Authentication failed due to I/O error", "JBREM000307: Authentication interrupted"}) {
            assertNull(AccessFailures.classify(naming(new IOException(message))), message);
            assertNull(AccessFailures.classify(naming(new IOException(message, rejected()))), message);
        }
    }

    @Test
    void aCycleInTheCausesEnds() {
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);
        assertNull(AccessFailures.classify(a));
    }
}
