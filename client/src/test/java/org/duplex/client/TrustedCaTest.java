package org.duplex.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA's trust on certificates made the way lib/tls.bash makes them, with the JDK's keytool. */
class TrustedCaTest {

    @TempDir
    Path dir;

    @Test
    void trustsANodeCertificateSignedByTheCaAndNothingElse() throws Exception {
        Path ca = keyPair("ca", "CN=Test CA", "-ext", "bc:c");
        Path caPem = export("ca", ca);
        Path node = keyPair("node", "CN=node-a");
        Path request = dir.resolve("node.csr");
        keytool("-certreq", "-keystore", node.toString(), "-alias", "node", "-file", request.toString());
        Path nodePem = dir.resolve("node.pem");
        keytool("-gencert", "-keystore", ca.toString(), "-alias", "ca", "-rfc", "-infile", request.toString(),
                "-outfile", nodePem.toString(), "-ext", "san=IP:127.0.0.1", "-ext", "eku=serverAuth");
        Path stranger = export("stranger", keyPair("stranger", "CN=node-a"));

        X509TrustManager trust = TrustedCa.trustManager(caPem);
        assertEquals(1, trust.getAcceptedIssuers().length, "the CA alone, not the JDK's cacerts");
        trust.checkServerTrusted(new X509Certificate[] {certificate(nodePem), certificate(caPem)}, "ECDHE_ECDSA");
        assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(new X509Certificate[] {certificate(stranger)}, "ECDHE_ECDSA"),
                "a self-signed certificate of the same name is not the CA's");
        assertEquals("TLS", TrustedCa.sslContext(caPem).getProtocol());
    }

    @Test
    void aFileWithoutACertificateIsRefusedByName() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        IOException e = assertThrows(IOException.class, () -> TrustedCa.sslContext(empty));
        assertTrue(e.getMessage().contains("empty.pem"), e.getMessage());
        Path garbage = Files.writeString(dir.resolve("garbage.pem"),
                "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        IOException g = assertThrows(IOException.class, () -> TrustedCa.sslContext(garbage));
        assertTrue(g.getMessage().contains("garbage.pem"), g.getMessage());
        assertThrows(IOException.class, () -> TrustedCa.sslContext(dir.resolve("missing.pem")));
    }

    private Path keyPair(String alias, String dname, String... more) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-keystore", store.toString(), "-alias", alias,
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-validity", "2"));
        args.addAll(List.of(more));
        keytool(args.toArray(String[]::new));
        return store;
    }

    private Path export(String alias, Path store) throws Exception {
        Path pem = dir.resolve(alias + ".pem");
        keytool("-exportcert", "-rfc", "-keystore", store.toString(), "-alias", alias, "-file", pem.toString());
        return pem;
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", "test-only", "-storetype", "PKCS12"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "keytool timed out");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }
}
