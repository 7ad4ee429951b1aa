package org.duplex.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.duplex.detector.LoginLockouts.Lockout;
import org.duplex.detector.LoginLockouts.Settings;
import org.junit.jupiter.api.Test;

class LoginLockoutsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Settings SETTINGS = new Settings(true, 10, Duration.ofMinutes(15), Duration.ofMinutes(30));

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void theTenthFailureLocksForTheLockoutIntervalFromTheLatestFailure() {
        LoginLockouts books = new LoginLockouts(SETTINGS);
        for (int i = 0; i < 9; i++) {
            assertTrue(books.failed("alice", at(i)).isEmpty());
        }
        assertEquals(List.of(), books.locked(at(9)));
        Optional<Lockout> locked = books.failed("alice", at(9));
        assertEquals(Optional.of(new Lockout("alice", at(9), at(9 + 900), 10)), locked);
        // a later attempt prolongs the lockout and is no new one
        assertTrue(books.failed("alice", at(100)).isEmpty());
        assertEquals(List.of(new Lockout("alice", at(9), at(1000), 11)), books.locked(at(100)));
        assertEquals(List.of(), books.locked(at(1000)));
    }

    @Test
    void oneIdentitysFailuresLockNoOtherAndASuccessForgetsThem() {
        LoginLockouts books = new LoginLockouts(SETTINGS);
        for (int i = 0; i < 50; i++) {
            books.failed("mallory", at(i));
        }
        books.failed("alice", at(1));
        books.succeeded("alice", at(2));
        books.succeeded("mallory", at(60));
        assertEquals(List.of("mallory"), books.locked(at(60)).stream().map(Lockout::identity).toList());
        for (int i = 0; i < 9; i++) {
            books.failed("alice", at(3 + i));
        }
        assertEquals(List.of("mallory"), books.locked(at(60)).stream().map(Lockout::identity).toList(),
                "the failure before the success is not counted");
    }

    @Test
    void theSessionEndsSessionTimeoutAfterItsLatestFailure() {
        LoginLockouts books = new LoginLockouts(SETTINGS);
        for (int i = 0; i < 9; i++) {
            books.failed("alice", at(i));
        }
        assertTrue(books.failed("alice", at(8 + 1800)).isEmpty(), "a new session starts counting at 1");
    }

    @Test
    void afterTheLockoutTheNextFailureLocksAgainWhileTheSessionLasts() {
        LoginLockouts books = new LoginLockouts(SETTINGS);
        for (int i = 0; i < 10; i++) {
            books.failed("alice", at(i));
        }
        assertEquals(List.of(), books.locked(at(9 + 900)));
        assertEquals(Optional.of(new Lockout("alice", at(1000), at(1900), 11)), books.failed("alice", at(1000)));
    }

    @Test
    void disabledMitigationLocksNobody() {
        LoginLockouts books = new LoginLockouts(new Settings(false, 1, Duration.ofMinutes(1), Duration.ofMinutes(1)));
        assertTrue(books.failed("alice", T0).isEmpty());
        assertEquals(List.of(), books.locked(T0));
    }

    @Test
    void settingsComeFromTheRealmsSystemPropertiesWithElytronsDefaults() {
        Map<String, String> props = new HashMap<>();
        assertEquals(SETTINGS, Settings.of("ApplicationRealm", props::get));
        props.put("wildfly.elytron.realm.ApplicationRealm.brute-force.max-failed-attempts", "5");
        props.put("wildfly.elytron.realm.ApplicationRealm.brute-force.lockout-interval", "2");
        props.put("wildfly.elytron.realm.ApplicationRealm.brute-force.session-timeout", "x");
        props.put("wildfly.elytron.realm.ApplicationRealm.brute-force.enabled", "false");
        assertEquals(new Settings(false, 5, Duration.ofMinutes(2), Duration.ofMinutes(30)),
                Settings.of("ApplicationRealm", props::get));
    }

    @Test
    void auditLinesGiveTheLoginsAndNothingElse() {
        assertEquals(Optional.of(new LoginAuditLine("alice", false)), LoginAuditLine.parse(
                "2026-12-01 10:00:00,WARNING,{\"event\":\"SecurityAuthenticationFailedEvent\",\"event-time\":\"2026-12-01 10:00:00\","
                        + "\"security-identity\":{\"name\":\"anonymous\",\"creation-time\":\"2026-12-01 10:00:00\"},"
                        + "\"success\":false,\"principal\":\"alice\"}"));
        assertEquals(Optional.of(new LoginAuditLine("bob", true)), LoginAuditLine.parse(
                "2026-12-01 10:00:00,INFO,{\"event\":\"SecurityAuthenticationSuccessfulEvent\",\"event-time\":\"2026-12-01 10:00:00\","
                        + "\"security-identity\":{\"name\":\"bob\",\"creation-time\":\"2026-12-01 10:00:00\"},\"success\":true}"));
        assertFalse(LoginAuditLine.parse("2026-12-01 10:00:00,INFO,{\"event\":\"SecurityPermissionCheckSuccessfulEvent\","
                + "\"security-identity\":{\"name\":\"bob\"},\"success\":true,\"permission\":{}}").isPresent());
        assertFalse(LoginAuditLine.parse("2026-12-01 10:00:00,WARNING,{\"event\":\"SecurityAuthenticationFailedEvent\","
                + "\"success\":false,\"principal\":null}").isPresent());
        assertFalse(LoginAuditLine.parse("2026-12-01 10:00:00,WARN").isPresent());
    }
}
