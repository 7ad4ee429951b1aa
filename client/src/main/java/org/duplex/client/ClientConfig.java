package org.duplex.client;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * How the client reaches the cluster: bootstrap URLs, credentials and time limits. Immutable; the
 * {@code with*} methods return a copy (command-line overrides). Loaded from a
 * {@link java.util.Properties} file with the keys {@value #BOOTSTRAP}, {@value #USER},
 * {@value #PASSWORD_FILE}, {@value #DEADLINE_MS}, {@value #INVOCATION_TIMEOUT_MS},
 * {@value #CONNECT_TIMEOUT_MS} and {@value #CA_CERTIFICATE}; other keys are ignored. The password itself is
 * never held in the file: it is read from {@code passwordFile} when the client connects.
 */
public final class ClientConfig {

    public static final String BOOTSTRAP = "bootstrap";
    public static final String USER = "user";
    public static final String PASSWORD_FILE = "passwordFile";
    public static final String DEADLINE_MS = "deadlineMs";
    public static final String INVOCATION_TIMEOUT_MS = "invocationTimeoutMs";
    public static final String CONNECT_TIMEOUT_MS = "connectTimeoutMs";
    /**
     * A PEM file of the certificate authority whose certificates the nodes present over {@code remote+https}
     * ({@code ./duplex} writes {@code target/duplex/tls/ca.pem}); without it the JVM's default trust applies.
     */
    public static final String CA_CERTIFICATE = "caCertificate";

    /** The environment variable naming the config file when {@code --config} is not given. */
    public static final String ENV_CONFIG = "DUPLEX_CLIENT_CONFIG";

    /** The documented local topology with TLS on (the launcher's default). */
    public static final String DEFAULT_BOOTSTRAP = "remote+https://127.0.0.1:8180,remote+https://127.0.0.1:8280";
    public static final long DEFAULT_DEADLINE_MS = 30_000;
    /**
     * A call to a hung node is given up after this long and resent to whichever node is then primary:
     * the detector takes about a second to replace a hung primary, and p99 latency is under 100 ms here.
     */
    public static final long DEFAULT_INVOCATION_TIMEOUT_MS = 1_000;
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 2_000;

    private final List<String> bootstrap;
    private final String user;
    private final Path passwordFile;
    private final long deadlineMs;
    private final long invocationTimeoutMs;
    private final long connectTimeoutMs;
    private final Path caCertificate;

    private ClientConfig(List<String> bootstrap, String user, Path passwordFile, long deadlineMs,
                         long invocationTimeoutMs, long connectTimeoutMs, Path caCertificate) {
        if (bootstrap.isEmpty()) {
            throw new IllegalArgumentException(BOOTSTRAP + ": at least one remoting URL is needed");
        }
        for (String url : bootstrap) {
            if (!(url.startsWith("remote+http://") || url.startsWith("remote+https://")
                    || url.startsWith("http-remoting://") || url.startsWith("remote://"))) {
                throw new IllegalArgumentException(BOOTSTRAP + ": not a remoting URL (remote+http://host:port): '" + url + "'");
            }
        }
        this.bootstrap = Collections.unmodifiableList(new ArrayList<>(bootstrap));
        this.user = user == null || user.isBlank() ? null : user.trim();
        this.passwordFile = passwordFile;
        this.deadlineMs = positive(DEADLINE_MS, deadlineMs);
        this.invocationTimeoutMs = positive(INVOCATION_TIMEOUT_MS, invocationTimeoutMs);
        this.connectTimeoutMs = positive(CONNECT_TIMEOUT_MS, connectTimeoutMs);
        this.caCertificate = caCertificate;
    }

    /** Every key at its default; no user. */
    public static ClientConfig defaults() {
        return new ClientConfig(splitUrls(DEFAULT_BOOTSTRAP), null, null, DEFAULT_DEADLINE_MS,
                DEFAULT_INVOCATION_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS, null);
    }

    /**
     * Reads the properties; a missing key takes its default. A relative {@code passwordFile} or
     * {@code caCertificate} is taken relative to {@code baseDir} when it is given (the directory of the
     * config file), else to the working directory. Throws {@link IllegalArgumentException} naming the bad key.
     */
    public static ClientConfig fromProperties(Properties p, Path baseDir) {
        String bootstrap = trimmed(p.getProperty(BOOTSTRAP));
        return new ClientConfig(splitUrls(bootstrap == null ? DEFAULT_BOOTSTRAP : bootstrap),
                trimmed(p.getProperty(USER)), file(p, PASSWORD_FILE, baseDir),
                number(p, DEADLINE_MS, DEFAULT_DEADLINE_MS),
                number(p, INVOCATION_TIMEOUT_MS, DEFAULT_INVOCATION_TIMEOUT_MS),
                number(p, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS),
                file(p, CA_CERTIFICATE, baseDir));
    }

    private static Path file(Properties p, String key, Path baseDir) {
        String name = trimmed(p.getProperty(key));
        if (name == null) {
            return null;
        }
        Path path = Path.of(name);
        return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path);
    }

    /** Loads a properties file (UTF-8). */
    public static ClientConfig load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Path dir = file.toAbsolutePath().getParent();
        return fromProperties(p, dir);
    }

    /**
     * The file named by {@code configFile} (the {@code --config} option) if not null, else by the
     * environment variable {@value #ENV_CONFIG}, else the defaults.
     */
    public static ClientConfig resolve(String configFile, Map<String, String> env) throws IOException {
        String file = configFile != null ? configFile : trimmed(env.get(ENV_CONFIG));
        return file == null ? defaults() : load(Path.of(file));
    }

    /** Splits a comma-separated list of URLs, dropping blanks. */
    public static List<String> splitUrls(String urls) {
        List<String> out = new ArrayList<>();
        if (urls != null) {
            for (String u : urls.split(",")) {
                if (!u.isBlank()) {
                    out.add(u.trim());
                }
            }
        }
        return out;
    }

    public ClientConfig withBootstrap(List<String> urls) {
        return new ClientConfig(urls, user, passwordFile, deadlineMs, invocationTimeoutMs, connectTimeoutMs, caCertificate);
    }

    public ClientConfig withUser(String newUser) {
        return new ClientConfig(bootstrap, newUser, passwordFile, deadlineMs, invocationTimeoutMs, connectTimeoutMs, caCertificate);
    }

    public ClientConfig withPasswordFile(Path file) {
        return new ClientConfig(bootstrap, user, file, deadlineMs, invocationTimeoutMs, connectTimeoutMs, caCertificate);
    }

    public ClientConfig withDeadlineMs(long ms) {
        return new ClientConfig(bootstrap, user, passwordFile, ms, invocationTimeoutMs, connectTimeoutMs, caCertificate);
    }

    public ClientConfig withInvocationTimeoutMs(long ms) {
        return new ClientConfig(bootstrap, user, passwordFile, deadlineMs, ms, connectTimeoutMs, caCertificate);
    }

    public ClientConfig withConnectTimeoutMs(long ms) {
        return new ClientConfig(bootstrap, user, passwordFile, deadlineMs, invocationTimeoutMs, ms, caCertificate);
    }

    /** A copy trusting the certificate authority in this PEM file (null: the JVM's default trust). */
    public ClientConfig withCaCertificate(Path pem) {
        return new ClientConfig(bootstrap, user, passwordFile, deadlineMs, invocationTimeoutMs, connectTimeoutMs, pem);
    }

    /** The PEM file of the certificate authority the nodes' TLS certificates are checked against, or null. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** The bootstrap remoting URLs, in the order they are tried. */
    public List<String> bootstrap() {
        return bootstrap;
    }

    /** The application user, or null when none is configured. */
    public String user() {
        return user;
    }

    /** The file holding the password, or null. */
    public Path passwordFile() {
        return passwordFile;
    }

    /** How long one request is retried through failures, from its start. */
    public long deadlineMs() {
        return deadlineMs;
    }

    /** The longest one remote call may take before it counts as failed (a hung node). */
    public long invocationTimeoutMs() {
        return invocationTimeoutMs;
    }

    /** The longest establishing a connection may take. */
    public long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    /** Reads the password file: its content, trimmed. */
    public char[] readPassword() throws IOException {
        if (passwordFile == null) {
            throw new IOException("no " + PASSWORD_FILE + " configured for user '" + user + "'");
        }
        return Files.readString(passwordFile, StandardCharsets.UTF_8).trim().toCharArray();
    }

    @Override
    public String toString() {
        return BOOTSTRAP + "=" + String.join(",", bootstrap) + " " + USER + "=" + user + " " + PASSWORD_FILE + "="
                + passwordFile + " " + DEADLINE_MS + "=" + deadlineMs + " " + INVOCATION_TIMEOUT_MS + "="
                + invocationTimeoutMs + " " + CONNECT_TIMEOUT_MS + "=" + connectTimeoutMs + " " + CA_CERTIFICATE + "="
                + caCertificate;
    }

    private static long number(Properties p, String key, long def) {
        String v = trimmed(p.getProperty(key));
        if (v == null) {
            return def;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not a whole number of ms: '" + v + "'");
        }
    }

    private static long positive(String key, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(key + ": must be > 0 ms, was " + v);
        }
        return v;
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
