package org.duplex.detector;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Makes this node's lockouts of application users visible: once a second it reads the logins the node
 * wrote since into its Elytron security audit log ({@value #AUDIT_LOG} in the server's log directory,
 * set up by {@code configure-brute-force.cli}), keeps {@link LoginLockouts}' books with the brute-force
 * settings the node runs with, and reports a new lockout as an {@code identity-locked} event, each locked
 * identity as {@code duplex_identity_locked{identity}} (1 while locked) and their number as
 * {@code duplex_locked_identities} on {@code /metrics}, and the list at {@code GET /duplex/api/cluster/lockouts}
 * (which {@code ./duplex status} shows). Only users of {@code ApplicationRealm}'s users file count, as in
 * Elytron. Without the audit log (a node not configured by the scripts) it reports nothing.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class LoginWatch {

    private static final Logger LOG = Logger.getLogger(LoginWatch.class.getName());
    /** The audit log's file name, as configure-brute-force.cli names it. */
    static final String AUDIT_LOG = "duplex-security-audit.log";
    static final String REALM = "ApplicationRealm";

    @EJB
    private FaultDetector detector;

    @Inject
    private MeterRegistry registry;

    private final Object lock = new Object();
    private LoginLockouts books;
    private Path log;
    private Path users;
    private long offset;
    private final AtomicLong lockedCount = new AtomicLong();
    /** One gauge value per identity ever locked here: the registry holds them weakly, so they live here. */
    private final Map<String, AtomicLong> lockedGauges = new ConcurrentHashMap<>();
    private volatile List<LoginLockouts.Lockout> current = List.of();

    @PostConstruct
    void start() {
        books = new LoginLockouts(LoginLockouts.Settings.of(REALM, System::getProperty));
        log = Path.of(System.getProperty("jboss.server.log.dir", "."), AUDIT_LOG);
        users = Path.of(System.getProperty("jboss.server.config.dir", "."), "application-users.properties");
        // logins before this deployment started are not replayed: Elytron's books survive a redeploy, ours start now
        offset = size(log);
        registry.gauge("duplex.locked.identities", Tags.of("node", node()), lockedCount, AtomicLong::get);
        LoginLockouts.Settings s = books.settings();
        LOG.info(() -> "brute-force mitigation of " + REALM + (s.enabled() ? ": " + s.maxFailedAttempts()
                + " failed logins lock an identity for " + s.lockout().toMinutes() + " min" : ": disabled"));
    }

    @PreDestroy
    void stop() {
        registry.find("duplex.locked.identities").meters().forEach(registry::remove);
        registry.find("duplex.identity.locked").meters().forEach(registry::remove);
    }

    /** The identities locked on this node now, each with when its lockout ends unless it fails again. */
    public List<LoginLockouts.Lockout> lockouts() {
        return current;
    }

    /** The brute-force settings this node runs with, as Elytron read them at boot. */
    public LoginLockouts.Settings settings() {
        return books.settings();
    }

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
    void read() {
        synchronized (lock) {
            try {
                Set<String> known = knownUsers();
                Instant now = Instant.now();
                for (String line : newLines()) {
                    LoginAuditLine.parse(line).filter(l -> known.contains(l.identity())).ifPresent(l -> {
                        if (l.success()) {
                            books.succeeded(l.identity(), now);
                        } else {
                            books.failed(l.identity(), now).ifPresent(locked -> detector.record("identity-locked",
                                    "identity " + locked.identity() + " locked on " + node() + " after " + locked.failures()
                                            + " failed logins, until " + locked.until() + " (" + REALM + ")"));
                        }
                    });
                }
                publish(books.locked(now));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "the security audit log was not read", e);
            }
        }
    }

    private void publish(List<LoginLockouts.Lockout> locked) {
        current = List.copyOf(locked);
        lockedCount.set(locked.size());
        Set<String> names = new java.util.HashSet<>();
        locked.forEach(l -> names.add(l.identity()));
        for (String identity : names) {
            lockedGauges.computeIfAbsent(identity, id -> {
                AtomicLong v = new AtomicLong();
                registry.gauge("duplex.identity.locked", Tags.of("node", node(), "identity", id), v, AtomicLong::get);
                return v;
            });
        }
        lockedGauges.forEach((identity, v) -> v.set(names.contains(identity) ? 1 : 0));
    }

    /** The lines appended since the last read; from the start again when the log was rotated or truncated. */
    private List<String> newLines() throws IOException {
        long size = size(log);
        if (size < offset) {
            offset = 0;
        }
        if (size == offset) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(log.toFile(), "r")) {
            in.seek(offset);
            byte[] bytes = new byte[(int) Math.min(size - offset, 4 << 20)];
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end < 0) {
                return List.of();
            }
            // a torn last line waits for the next read
            offset += text.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length;
            return List.of(text.substring(0, end).split("\n"));
        }
    }

    private Set<String> knownUsers() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(users)) {
            p.load(in);
        }
        return p.stringPropertyNames();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String node() {
        return System.getProperty("jboss.node.name", "?");
    }
}
