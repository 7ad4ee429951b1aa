package org.duplex.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaults() {
        ClientConfig c = ClientConfig.defaults();
        assertEquals(List.of("remote+https://127.0.0.1:8180", "remote+https://127.0.0.1:8280"), c.bootstrap());
        assertNull(c.user());
        assertNull(c.passwordFile());
        assertNull(c.caCertificate());
        assertEquals(30_000, c.deadlineMs());
        assertEquals(1_000, c.invocationTimeoutMs());
        assertEquals(2_000, c.connectTimeoutMs());
    }

    @Test
    void loadsEveryKeyAndReadsThePasswordTrimmed() throws IOException {
        Files.writeString(dir.resolve("pw.txt"), "  s3cret\n");
        Path file = dir.resolve("client.properties");
        Files.writeString(file, String.join("\n",
                "# written by ./duplex up",
                "bootstrap = remote+http://10.0.0.1:8180 , remote+http://10.0.0.2:8280",
                "user=duplex-app",
                "passwordFile=pw.txt",
                "deadlineMs=5000",
                "invocationTimeoutMs=750",
                "connectTimeoutMs=1500",
                "caCertificate=tls/ca.pem",
                "somethingElse=ignored"));
        ClientConfig c = ClientConfig.load(file);
        assertEquals(List.of("remote+http://10.0.0.1:8180", "remote+http://10.0.0.2:8280"), c.bootstrap());
        assertEquals("duplex-app", c.user());
        assertEquals(dir.resolve("pw.txt").toAbsolutePath(), c.passwordFile());
        assertEquals(5000, c.deadlineMs());
        assertEquals(750, c.invocationTimeoutMs());
        assertEquals(1500, c.connectTimeoutMs());
        assertEquals(dir.resolve("tls/ca.pem").toAbsolutePath(), c.caCertificate());
        assertArrayEquals("s3cret".toCharArray(), c.readPassword());
        assertEquals(c.caCertificate(), c.withDeadlineMs(1).withUser("other").caCertificate(), "copies keep the CA");
    }

    @Test
    void missingKeysTakeTheirDefaults() {
        Properties p = new Properties();
        p.setProperty("user", "alice");
        ClientConfig c = ClientConfig.fromProperties(p, null);
        assertEquals("alice", c.user());
        assertEquals(ClientConfig.defaults().bootstrap(), c.bootstrap());
        assertEquals(30_000, c.deadlineMs());
    }

    @Test
    void badValuesNameTheKey() {
        Properties notANumber = new Properties();
        notANumber.setProperty("deadlineMs", "soon");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientConfig.fromProperties(notANumber, null));
        assertTrue(e.getMessage().contains("deadlineMs"), e.getMessage());

        Properties zero = new Properties();
        zero.setProperty("invocationTimeoutMs", "0");
        assertThrows(IllegalArgumentException.class, () -> ClientConfig.fromProperties(zero, null));

        Properties badUrl = new Properties();
        badUrl.setProperty("bootstrap", "http://127.0.0.1:8180");
        e = assertThrows(IllegalArgumentException.class, () -> ClientConfig.fromProperties(badUrl, null));
        assertTrue(e.getMessage().contains("bootstrap"), e.getMessage());
    }

    @Test
    void resolvePrefersTheOptionThenTheEnvironment() throws IOException {
        Path fromEnv = dir.resolve("env.properties");
        Files.writeString(fromEnv, "user=from-env\n");
        Path fromOption = dir.resolve("option.properties");
        Files.writeString(fromOption, "user=from-option\n");
        Map<String, String> env = Map.of(ClientConfig.ENV_CONFIG, fromEnv.toString());
        assertEquals("from-option", ClientConfig.resolve(fromOption.toString(), env).user());
        assertEquals("from-env", ClientConfig.resolve(null, env).user());
        assertNull(ClientConfig.resolve(null, Map.of()).user());
        assertThrows(IOException.class, () -> ClientConfig.resolve(dir.resolve("missing").toString(), Map.of()));
    }

    @Test
    void overridesReturnCopies() {
        ClientConfig base = ClientConfig.defaults();
        ClientConfig c = base.withBootstrap(ClientConfig.splitUrls("remote+http://h:1"))
                .withUser("bob").withPasswordFile(Path.of("/tmp/pw")).withDeadlineMs(1234);
        assertEquals(List.of("remote+http://h:1"), c.bootstrap());
        assertEquals("bob", c.user());
        assertEquals(1234, c.deadlineMs());
        assertNull(base.user());
        assertThrows(IllegalArgumentException.class, () -> base.withBootstrap(List.of()));
    }

    @Test
    void missingPasswordFileIsAnIOException() {
        ClientConfig c = ClientConfig.defaults().withUser("bob");
        assertThrows(IOException.class, c::readPassword);
        ClientConfig absent = c.withPasswordFile(dir.resolve("nope"));
        assertThrows(IOException.class, absent::readPassword);
    }
}
