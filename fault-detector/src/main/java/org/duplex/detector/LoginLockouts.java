package org.duplex.detector;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which identities this node's {@code ApplicationRealm} has locked out, followed from the logins the
 * node saw. Pure: fed one login at a time with its time, it keeps the same books as WildFly Elytron's
 * {@code BruteForceRealmWrapper} (WildFly 39.0.1; docs.wildfly.org, "Brute Force Authentication
 * Detection", the mitigation of CVE-2025-23368):
 * <ul>
 *   <li>a failed login opens a session for the identity (or adds to the open one) and counts it; the
 *       session ends {@code session-timeout} after its latest failure, or at a successful login;</li>
 *   <li>from the {@code max-failed-attempts}-th failure on, the identity is locked for
 *       {@code lockout-interval} from its latest failure: each attempt while locked fails, counts, and
 *       starts the period again, even with the right password;</li>
 *   <li>only identities the realm holds are counted ({@code known}); the books are per node, in memory,
 *       lost at a restart, as Elytron's are.</li>
 * </ul>
 * It is what the node reports ({@code identity-locked} events, {@code /metrics}, {@code ./duplex status}),
 * not what enforces the lockout: Elytron does that.
 */
public final class LoginLockouts {

    /** The mitigation's settings, as Elytron reads them from the {@code wildfly.elytron.realm.<realm>.brute-force.*} system properties. */
    public record Settings(boolean enabled, int maxFailedAttempts, Duration lockout, Duration session) {

        /** Elytron's own defaults (BruteForceRealmWrapper of wildfly-elytron 2.8.2): 10 failures, 15 min, 30 min. */
        static final int DEFAULT_MAX_FAILED_ATTEMPTS = 10;
        static final int DEFAULT_LOCKOUT_MINUTES = 15;
        static final int DEFAULT_SESSION_MINUTES = 30;

        /** The settings of one realm from system properties; a missing or bad value is Elytron's default, as there. */
        public static Settings of(String realm, Function<String, String> properties) {
            String prefix = "wildfly.elytron.realm." + realm + ".brute-force.";
            String enabled = properties.apply(prefix + "enabled");
            return new Settings(enabled == null || Boolean.parseBoolean(enabled),
                    positive(properties.apply(prefix + "max-failed-attempts"), DEFAULT_MAX_FAILED_ATTEMPTS),
                    Duration.ofMinutes(positive(properties.apply(prefix + "lockout-interval"), DEFAULT_LOCKOUT_MINUTES)),
                    Duration.ofMinutes(positive(properties.apply(prefix + "session-timeout"), DEFAULT_SESSION_MINUTES)));
        }

        private static int positive(String value, int fallback) {
            try {
                int n = value == null ? fallback : Integer.parseInt(value.trim());
                return n > 0 ? n : fallback;
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
    }

    /** A locked identity: since its locking failure, until its lockout ends unless it fails again. */
    public record Lockout(String identity, Instant since, Instant until, int failures) {
    }

    private static final class Session {
        int failures;
        Instant lastFailure;
        Instant lockedSince;
    }

    private final Settings settings;
    private final Map<String, Session> sessions = new HashMap<>();

    public LoginLockouts(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * A failed login of an identity the realm holds.
     *
     * @return the lockout this failure began (not one it only prolonged), for an event
     */
    public Optional<Lockout> failed(String identity, Instant at) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        Session s = sessions.get(identity);
        if (s == null || expired(s, at)) {
            s = new Session();
            sessions.put(identity, s);
        }
        boolean wasLocked = locked(s, at);
        s.failures++;
        s.lastFailure = at;
        if (s.failures < settings.maxFailedAttempts()) {
            return Optional.empty();
        }
        if (!wasLocked) {
            s.lockedSince = at;
            return Optional.of(lockout(identity, s));
        }
        return Optional.empty();
    }

    /** A successful login: the identity's failures are forgotten (it cannot succeed while locked). */
    public void succeeded(String identity, Instant at) {
        Session s = sessions.get(identity);
        if (s != null && !locked(s, at)) {
            sessions.remove(identity);
        }
    }

    /** The identities locked at {@code now}, each with when its lockout ends; forgets ended sessions. */
    public List<Lockout> locked(Instant now) {
        sessions.values().removeIf(s -> expired(s, now));
        List<Lockout> all = new ArrayList<>();
        sessions.forEach((identity, s) -> {
            if (locked(s, now)) {
                all.add(lockout(identity, s));
            }
        });
        all.sort((a, b) -> a.identity().compareTo(b.identity()));
        return all;
    }

    private Lockout lockout(String identity, Session s) {
        return new Lockout(identity, s.lockedSince, s.lastFailure.plus(settings.lockout()), s.failures);
    }

    private boolean locked(Session s, Instant now) {
        return s.lockedSince != null && now.isBefore(s.lastFailure.plus(settings.lockout())) && !expired(s, now);
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastFailure.plus(settings.session()));
    }
}
