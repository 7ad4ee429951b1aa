package org.duplex.it;

import static org.duplex.it.DuplexCluster.assertDatabasesIdentical;
import static org.duplex.it.DuplexCluster.snapshot;
import static org.duplex.it.RestCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.ejb.EJBAccessException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.naming.Context;
import javax.naming.InitialContext;
import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.ReservationService;
import org.duplex.reservation.api.ResourceView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wildfly.security.auth.client.AuthenticationConfiguration;
import org.wildfly.security.auth.client.AuthenticationContext;
import org.wildfly.security.auth.client.MatchRule;
import org.wildfly.security.sasl.SaslMechanismSelector;

/**
 * Who may do what, through Elytron on the real nodes: remote EJB and REST writes need a user,
 * inventory changes and switchovers need role admin, and every refusal leaves both databases as
 * they were. Reads of the cluster state and the inventory stay anonymous.
 */
class SecurityIT extends OnBothNodes {

    private String primary;
    private String resource;
    private Map<String, List<String>> dbA;
    private Map<String, List<String>> dbB;

    @BeforeEach
    void resourceAndSnapshots() throws Exception {
        primary = RestCalls.primary();
        resource = "room-" + UUID.randomUUID().toString().substring(0, 8);
        DuplexCluster.createResource(resource, "Secure room", 10);
        dbA = snapshot("db-a");
        dbB = snapshot("db-b");
    }

    @AfterEach
    void nothingChangedUnlessAllowed() throws Exception {
        assertDatabasesIdentical();
    }

    private void assertNothingChanged() throws Exception {
        assertEquals(dbA, snapshot("db-a"), "a refused request changed db-a");
        assertEquals(dbB, snapshot("db-b"), "a refused request changed db-b");
    }

    /** One call on the primary's reservation bean, authenticated with this configuration only. */
    private Object remoteCall(AuthenticationConfiguration as, RemoteCall call) throws Exception {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "org.wildfly.naming.client.WildFlyInitialContextFactory");
        env.put(Context.PROVIDER_URL, DuplexCluster.nodeUrl(primary));
        AuthenticationContext context = AuthenticationContext.empty().with(MatchRule.ALL, as);
        return context.runCallable(() -> {
            Context naming = new InitialContext(env);
            try {
                return call.on((ReservationService) naming.lookup(DuplexClient.BEAN_NAME));
            } finally {
                naming.close();
            }
        });
    }

    @FunctionalInterface
    private interface RemoteCall {
        Object on(ReservationService service) throws Exception;
    }

    @Test
    void anonymousRemoteEjbCallIsRefused() throws Exception {
        // no credentials, and the only mechanism offered by the client is ANONYMOUS: the connection is refused
        AuthenticationConfiguration anonymous = AuthenticationConfiguration.empty().useAnonymous()
                .setSaslMechanismSelector(SaslMechanismSelector.NONE.addMechanism("ANONYMOUS"));
        Exception refused = assertThrows(Exception.class, () -> remoteCall(anonymous,
                s -> s.reserve("anon", "op-1", resource, 1)));
        assertTrue(causes(refused).contains("Authentication failed") || causes(refused).contains("authentication"),
                causes(refused));

        // a process on the server's machine that can read its local token gets in as $local, with no role
        AuthenticationConfiguration local = AuthenticationConfiguration.empty()
                .setSaslMechanismSelector(SaslMechanismSelector.NONE.addMechanism("JBOSS-LOCAL-USER"));
        assertThrows(EJBAccessException.class, () -> remoteCall(local, s -> s.reserve("anon", "op-1", resource, 1)));
        assertThrows(EJBAccessException.class, () -> remoteCall(local, s -> s.createResource("anon", "op-1", "anon-room", "x", 1)));
        // reads of the inventory are open to any authenticated caller
        assertEquals(10, ((ResourceView) remoteCall(local, s -> s.getResource(resource))).capacity());
        assertNothingChanged();
    }

    @Test
    void clientRoleCannotChangeTheInventoryOverEjb() throws Exception {
        try (DuplexClient client = DuplexCluster.client("duplex-client", 5_000)) {
            ResourceView before = client.getResource(resource);
            long t0 = System.nanoTime();
            assertThrows(EJBAccessException.class, () -> client.createResource("client-room", "x", 5));
            assertThrows(EJBAccessException.class, () -> client.changeCapacity(resource, 20, before.version()));
            // refused at once, not resent until the client's deadline
            assertTrue(System.nanoTime() - t0 < 4_000_000_000L, "a missing role is not retried");
        }
        assertNothingChanged();
    }

    @Test
    void anonymousRestWritesAre401() throws Exception {
        String reservation = "{\"clientId\":\"anon\",\"operationId\":\"op-1\",\"resourceId\":\"" + resource + "\",\"quantity\":1}";
        for (RestCalls.Answer a : List.of(
                call(primary, "POST", "/reservations", reservation, null),
                call(primary, "GET", "/reservations?clientId=anon", null, null),
                call(primary, "POST", "/resources", "{\"clientId\":\"anon\",\"operationId\":\"op-2\",\"id\":\"anon-room\",\"name\":\"x\",\"capacity\":1}", null),
                call(primary, "PUT", "/resources/" + resource + "/capacity",
                        "{\"clientId\":\"anon\",\"operationId\":\"op-3\",\"capacity\":20,\"expectedVersion\":0}", null),
                call(RestCalls.other(primary), "POST", "/cluster/switchover", null, null))) {
            a.assertProblem(401, "unauthenticated");
            assertTrue(a.header("WWW-Authenticate").startsWith("Basic realm=\"ApplicationRealm\""), a.header("WWW-Authenticate"));
        }
        // a wrong password is refused by the container before the API
        RestCalls.Answer wrong = RestCalls.send(HttpRequest.newBuilder(URI.create(DuplexCluster.httpBase(primary) + "/duplex/api/reservations"))
                .header("Authorization", RestCalls.basic("duplex-client", "not-the-password"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(reservation)).build());
        assertEquals(401, wrong.status(), wrong.body());
        assertEquals(primary, RestCalls.primary(), "an anonymous switchover moved the primary");
        assertNothingChanged();
    }

    @Test
    void clientRoleRestAdminActionsAre403() throws Exception {
        for (RestCalls.Answer a : List.of(
                call(primary, "POST", "/resources", "{\"clientId\":\"c\",\"operationId\":\"op-1\",\"id\":\"client-room\",\"name\":\"x\",\"capacity\":1}", "duplex-client"),
                call(primary, "PUT", "/resources/" + resource + "/capacity",
                        "{\"clientId\":\"c\",\"operationId\":\"op-2\",\"capacity\":20,\"expectedVersion\":0}", "duplex-client"),
                call(RestCalls.other(primary), "POST", "/cluster/switchover", null, "duplex-client"))) {
            a.assertProblem(403, "forbidden");
        }
        assertEquals(primary, RestCalls.primary(), "a client's switchover moved the primary");
        assertNothingChanged();
    }

    @Test
    void adminSucceedsAndReadsStayAnonymous() throws Exception {
        RestCalls.Answer changed = call(primary, "PUT", "/resources/" + resource + "/capacity",
                "{\"clientId\":\"admin\",\"operationId\":\"cap-" + resource + "\",\"capacity\":25,\"expectedVersion\":0}", "duplex-admin");
        assertEquals(200, changed.status(), changed.body());
        assertEquals(25, changed.json().getInt("capacity"));
        RestCalls.Answer created = call(primary, "POST", "/resources",
                "{\"clientId\":\"admin\",\"operationId\":\"create-" + resource + "\",\"id\":\"" + resource
                + "-2\",\"name\":\"Admin room\",\"capacity\":3}", "duplex-admin");
        assertEquals(201, created.status(), created.body());
        // admin holds role client too
        RestCalls.Answer reserved = call(primary, "POST", "/reservations", "{\"clientId\":\"admin\",\"operationId\":\"op-"
                + resource + "\",\"resourceId\":\"" + resource + "\",\"quantity\":2}", "duplex-admin");
        assertEquals(201, reserved.status(), reserved.body());
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(List.of("25|2"), DuplexCluster.rows(db, "select capacity, reserved from resource where id = ?", resource), db);
            assertEquals(List.of("3"), DuplexCluster.rows(db, "select capacity from resource where id = ?", resource + "-2"), db);
        }
        for (String path : List.of("/heartbeat", "/cluster", "/resources", "/resources/" + resource, "/events?limit=5")) {
            RestCalls.Answer read = call(primary, "GET", path, null, null);
            assertEquals(200, read.status(), path + ": " + read.body());
        }
        try (EventStream stream = EventStream.open(primary)) {
            stream.await("cluster", c -> c.getString("node").equals(primary), java.time.Duration.ofSeconds(10));
        }
    }

    /** The exception, its causes and what it suppressed (the EJB client keeps each destination's failure there). */
    private static String causes(Throwable t) {
        if (t == null) {
            fail("no exception");
        }
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            all.append(c).append(" <- ");
            for (Throwable s : c.getSuppressed()) {
                all.append("[suppressed ").append(causes(s)).append("] ");
            }
        }
        return all.toString();
    }
}
