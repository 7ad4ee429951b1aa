package org.duplex.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * An {@link SSLContext} that trusts exactly the certificate authorities of one PEM file: the CA that
 * {@code ./duplex setup} made and that signed the nodes' certificates ({@code target/duplex/tls/ca.pem}). Used for
 * {@code remote+https} by {@link DuplexClient} and for HTTPS by the tests and the bench. The peer's host name is
 * checked by the caller's protocol as usual (the node certificates name the node's address, 127.0.0.1 and localhost).
 */
public final class TrustedCa {

    private TrustedCa() {
    }

    /**
     * Reads the PEM file (one or more {@code -----BEGIN CERTIFICATE-----} blocks) and returns a TLS context
     * trusting those certificates only.
     *
     * @param pem the PEM file
     * @return a new, initialised context (protocol "TLS": TLSv1.3 and TLSv1.2 as the JDK enables them)
     * @throws IOException the file cannot be read, holds no certificate, or the JDK refuses it
     */
    public static SSLContext sslContext(Path pem) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager(pem)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + ": no TLS context from it: " + e.getMessage(), e);
        }
    }

    /**
     * The PKIX trust manager behind {@link #sslContext(Path)}: it accepts a chain that ends at one of the file's
     * certificates and nothing else (the JDK's own trusted authorities included).
     *
     * @param pem the PEM file
     * @return the trust manager
     * @throws IOException the file cannot be read, holds no certificate, or the JDK refuses it
     */
    public static X509TrustManager trustManager(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException(pem + ": no certificate in it (a PEM file of the CA is expected)");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                trusted.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            for (TrustManager m : trust.getTrustManagers()) {
                if (m instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IOException("the JDK's " + trust.getAlgorithm() + " trust manager factory made no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IOException(pem + ": not usable as a certificate authority: " + e.getMessage(), e);
        }
    }
}
