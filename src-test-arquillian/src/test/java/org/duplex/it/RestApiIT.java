package org.duplex.it;

import static org.duplex.it.DuplexCluster.assertDatabasesIdentical;
import static org.duplex.it.DuplexCluster.count;
import static org.duplex.it.DuplexCluster.rows;
import static org.duplex.it.DuplexCluster.snapshot;
import static org.duplex.it.RestCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST API against the real cluster: exactly once over HTTP (one row in both databases), every
 * bad request answered with its problem and nothing written, cancel exactly once, and the cluster's
 * events listed and streamed (server-sent events) as a switchover happens.
 */
class RestApiIT extends OnBothNodes {

    private static final Logger LOG = Logger.getLogger(RestApiIT.class.getName());
    private static final String CLIENT = "duplex-client";
    private static final String ADMIN = "duplex-admin";

    private String primary;
    private String resource;
    private final String clientId = "rest-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void resource() throws Exception {
        primary = RestCalls.primary();
        resource = "room-" + UUID.randomUUID().toString().substring(0, 8);
        String definition = inventory("op-create", "\"id\":\"" + resource + "\",\"name\":\"REST room\",\"capacity\":10");
        RestCalls.Answer created = call(primary, "POST", "/resources", definition, ADMIN);
        assertEquals(201, created.status(), created.body());
        assertTrue(created.header("Location").endsWith("/duplex/api/resources/" + resource), created.header("Location"));
        assertFalse(created.json().getBoolean("duplicate"));
    }

    /** An inventory write's body: this test's client id, the operation id, then the members given. */
    private String inventory(String operationId, String members) {
        return "{\"clientId\":\"" + clientId + "\",\"operationId\":\"" + operationId + "\"," + members + "}";
    }

    private String capacity(String operationId, long capacity, long expectedVersion) {
        return inventory(operationId, "\"capacity\":" + capacity + ",\"expectedVersion\":" + expectedVersion);
    }

    @Test
    void resentInventoryWritesAnswerTheOriginalOnce() throws Exception {
        String definition = inventory("op-create", "\"id\":\"" + resource + "\",\"name\":\"REST room\",\"capacity\":10");
        RestCalls.Answer grown = call(primary, "PUT", "/resources/" + resource + "/capacity", capacity("op-grow", 15, 0), ADMIN);
        RestCalls.Answer grownAgain = call(primary, "PUT", "/resources/" + resource + "/capacity", capacity("op-grow", 15, 0), ADMIN);
        // the creation resent after the resource changed: its own answer, 200, not a conflict
        RestCalls.Answer createdAgain = call(primary, "POST", "/resources", definition, ADMIN);

        assertEquals(200, grown.status(), grown.body());
        assertFalse(grown.json().getBoolean("duplicate"));
        assertEquals(200, grownAgain.status(), grownAgain.body());
        assertTrue(grownAgain.json().getBoolean("duplicate"), "not a stale version");
        assertEquals(15, grownAgain.json().getInt("capacity"));
        assertEquals(1, grownAgain.json().getInt("version"));
        assertEquals(200, createdAgain.status(), createdAgain.body());
        assertTrue(createdAgain.json().getBoolean("duplicate"));
        assertEquals(10, createdAgain.json().getInt("capacity"));
        assertEquals(0, createdAgain.json().getInt("version"));
        // another operation id is another request
        check(call(primary, "PUT", "/resources/" + resource + "/capacity", capacity("op-grow-2", 15, 0), ADMIN),
                409, "concurrent-update", "is at version 1");
        post("/resources", definition.replace("op-create", "op-create-2"), 422, "conflict", "already exists");
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(List.of("15|1"), rows(db, "select capacity, version from resource where id = ?", resource), db);
            assertEquals(List.of("op-create|CREATE", "op-grow|CAPACITY"), rows(db, "select operation_id, kind"
                    + " from inventory_operation where client_id = ? order by applied_at", clientId), db);
        }
        assertEquals(ReplicatedWriteIT.inventoryOperations("db-a"), ReplicatedWriteIT.inventoryOperations("db-b"));
        assertDatabasesIdentical();
    }

    private String reservation(String operationId, int quantity) {
        return "{\"clientId\":\"" + clientId + "\",\"operationId\":\"" + operationId + "\",\"resourceId\":\"" + resource
                + "\",\"quantity\":" + quantity + "}";
    }

    @Test
    void sameReservationTwiceIsOneRowInBothDatabases() throws Exception {
        RestCalls.Answer first = call(primary, "POST", "/reservations", reservation("op-1", 3), CLIENT);
        RestCalls.Answer again = call(primary, "POST", "/reservations", reservation("op-1", 3), CLIENT);

        assertEquals(201, first.status(), first.body());
        JsonObject r = first.json();
        assertFalse(r.getBoolean("duplicate"));
        assertEquals("ACTIVE", r.getString("status"));
        assertEquals(primary, r.getString("node"));
        assertTrue(first.header("Location").contains("/duplex/api/reservations/" + r.getString("id")), first.header("Location"));
        assertEquals(200, again.status(), again.body());
        JsonObject d = again.json();
        assertTrue(d.getBoolean("duplicate"));
        assertEquals(r.getString("id"), d.getString("id"));
        assertEquals(r.getString("createdAt"), d.getString("createdAt"));
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(1, count(db, "select count(*) from reservation where client_id = ? and operation_id = ?",
                    clientId, "op-1"), db);
            assertEquals(List.of("3|1"), rows(db, "select reserved, version from resource where id = ?", resource), db);
        }
        RestCalls.Answer read = call(primary, "GET", "/reservations/" + r.getString("id") + "?clientId=" + clientId, null, CLIENT);
        assertEquals(200, read.status(), read.body());
        assertEquals(3, read.json().getInt("quantity"));
        RestCalls.Answer list = call(primary, "GET", "/reservations?clientId=" + clientId, null, CLIENT);
        assertEquals(1, list.jsonArray().size(), list.body());
        assertDatabasesIdentical();
    }

    @Test
    void everyBadRequestIsAProblemAndWritesNothing() throws Exception {
        RestCalls.Answer kept = call(primary, "POST", "/reservations", reservation("op-kept", 4), CLIENT);
        assertEquals(201, kept.status(), kept.body());
        long version = call(primary, "GET", "/resources/" + resource, null, null).json().getInt("version");
        Map<String, List<String>> a = snapshot("db-a");
        Map<String, List<String>> b = snapshot("db-b");
        List<String> operations = ReplicatedWriteIT.inventoryOperations("db-a");
        String backup = RestCalls.other(primary);

        post("/reservations", "{\"clientId\":", 400, "invalid-request", "not valid JSON");
        post("/reservations", "[1, 2]", 400, "invalid-request", "must be a JSON object");
        post("/reservations", "{\"operationId\":\"op-x\",\"resourceId\":\"" + resource + "\",\"quantity\":1}",
                400, "invalid-request", "clientId is required");
        post("/reservations", "{\"clientId\":\"c\",\"operationId\":\"op-x\",\"resourceId\":\"" + resource + "\"}",
                400, "invalid-request", "quantity is required");
        post("/reservations", "{\"clientId\":\"c\",\"operationId\":\"op-x\",\"resourceId\":\"" + resource + "\",\"quantity\":\"2\"}",
                400, "invalid-request", "quantity must be a JSON number");
        post("/reservations", reservation("op-x", 0), 400, "invalid-request", "quantity must be between 1");
        post("/reservations", reservation("o".repeat(65), 1), 400, "invalid-request", "operationId is 65 characters long");
        post("/reservations", reservation("op x; drop table reservation", 1), 400, "invalid-request", "operationId may hold only");
        post("/reservations", "{\"x\":\"" + "a".repeat(20_000) + "\"}", 400, "invalid-request", "larger than");
        post("/reservations", reservation("op-x", 1).replace(resource, "nowhere"), 404, "unknown-resource", "no resource with id nowhere");
        post("/reservations", reservation("op-x", 7), 409, "overbooking", "6 units available; 7 requested");
        post("/reservations", reservation("op-kept", 1), 422, "conflict", "was already used to reserve");
        post("/resources", inventory("op-other", "\"id\":\"" + resource + "\",\"name\":\"another\",\"capacity\":10"),
                422, "conflict", "already exists");
        post("/resources", "{\"clientId\":\"" + clientId + "\",\"id\":\"room-q\",\"name\":\"q\",\"capacity\":1}",
                400, "invalid-request", "operationId is required");
        post("/resources", inventory("op-create", "\"id\":\"room-q\",\"name\":\"q\",\"capacity\":1"),
                422, "conflict", "was already used to create resource " + resource);
        check(call(primary, "PUT", "/resources/" + resource + "/capacity", capacity("op-c1", 20, version - 1), ADMIN),
                409, "concurrent-update", "is at version");
        check(call(primary, "PUT", "/resources/" + resource + "/capacity", capacity("op-c2", 3, version), ADMIN),
                409, "overbooking", "cannot go down to 3");
        check(call(primary, "PUT", "/resources/" + resource + "/capacity", "{\"capacity\":20,\"expectedVersion\":" + version + "}",
                ADMIN), 400, "invalid-request", "clientId is required");
        check(call(primary, "GET", "/reservations/nope?clientId=" + clientId, null, CLIENT), 404, "unknown-reservation", "has no reservation");
        check(call(primary, "GET", "/resources/nowhere", null, null), 404, "unknown-resource", "no resource");
        check(call(primary, "GET", "/reservations", null, CLIENT), 400, "invalid-request", "clientId is required");
        check(call(primary, "GET", "/events?limit=0", null, null), 400, "invalid-request", "limit must be between");
        check(call(primary, "GET", "/no-such-thing", null, null), 404, "not-found", "no such path");
        check(call(primary, "DELETE", "/reservations", null, CLIENT), 405, "method-not-allowed", "");
        check(RestCalls.send(HttpRequest.newBuilder(URI.create(DuplexCluster.httpBase(primary) + "/duplex/api/reservations"))
                .header("Authorization", RestCalls.basic(CLIENT, RestCalls.password(CLIENT)))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(reservation("op-x", 1))).build()),
                415, "unsupported-media-type", "application/json");

        // a write sent to the backup: refused with where the primary is, not forwarded
        RestCalls.Answer misdirected = call(backup, "POST", "/reservations", reservation("op-x", 1), CLIENT);
        JsonObject p = check(misdirected, 421, "not-primary", "not the primary");
        assertEquals(primary, p.getString("primary"));
        assertEquals(DuplexCluster.httpBase(primary) + "/duplex/api", p.getString("primaryUrl"));
        assertTrue(p.getBoolean("retryable"));
        assertEquals(DuplexCluster.httpBase(primary) + "/duplex/api/reservations", misdirected.header("Location"));

        assertEquals(a, snapshot("db-a"), "a refused request changed db-a");
        assertEquals(b, snapshot("db-b"), "a refused request changed db-b");
        assertEquals(operations, ReplicatedWriteIT.inventoryOperations("db-a"), "a refused request recorded an operation in db-a");
        assertEquals(operations, ReplicatedWriteIT.inventoryOperations("db-b"), "a refused request recorded an operation in db-b");
        assertDatabasesIdentical();
    }

    private void post(String path, String json, int status, String code, String detailPart) throws Exception {
        String user = path.equals("/resources") ? ADMIN : CLIENT;
        check(call(primary, "POST", path, json, user), status, code, detailPart);
    }

    private static JsonObject check(RestCalls.Answer answer, int status, String code, String detailPart) {
        JsonObject p = answer.assertProblem(status, code);
        assertTrue(p.getString("detail").contains(detailPart), () -> "detail '" + p.getString("detail") + "' lacks '" + detailPart + "'");
        return p;
    }

    @Test
    void cancelIsExactlyOnce() throws Exception {
        String id = call(primary, "POST", "/reservations", reservation("op-c", 5), CLIENT).json().getString("id");
        String cancel = "{\"clientId\":\"" + clientId + "\",\"operationId\":\"cancel-op\"}";

        RestCalls.Answer first = call(primary, "POST", "/reservations/" + id + "/cancel", cancel, CLIENT);
        RestCalls.Answer again = call(primary, "POST", "/reservations/" + id + "/cancel", cancel, CLIENT);

        assertEquals(200, first.status(), first.body());
        assertEquals("CANCELLED", first.json().getString("status"));
        assertFalse(first.json().getBoolean("duplicate"));
        assertEquals(200, again.status(), again.body());
        assertTrue(again.json().getBoolean("duplicate"));
        check(call(primary, "POST", "/reservations/" + id + "/cancel",
                "{\"clientId\":\"" + clientId + "\",\"operationId\":\"other-cancel\"}", CLIENT),
                422, "conflict", "already cancelled by operation cancel-op");
        for (String db : DuplexCluster.DATABASES) {
            assertEquals(List.of("0"), rows(db, "select reserved from resource where id = ?", resource), db);
            assertEquals(List.of("CANCELLED|cancel-op"),
                    rows(db, "select status, cancel_operation_id from reservation where id = ?", id), db);
        }
        assertDatabasesIdentical();
    }

    @Test
    void switchoverIsStreamedAsItHappensAndListed() throws Exception {
        String target = RestCalls.other(primary);
        try (EventStream stream = EventStream.open(target)) {
            assertEquals(200, stream.status());
            assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
            JsonObject snapshot = stream.await("cluster", c -> true, Duration.ofSeconds(10)).data();
            assertEquals(target, snapshot.getString("node"));
            assertEquals("backup", snapshot.getString("role"));
            assertEquals(primary, snapshot.getString("primary"));
            assertEquals("sync", snapshot.getString("mode"));
            assertEquals("up", snapshot.getString("peer"));
            assertTrue(snapshot.containsKey("lagging") && snapshot.containsKey("journalDepth"), snapshot.toString());
            assertEquals(JsonValue.ValueType.NUMBER, snapshot.get("peerRoundTripMs").getValueType(), snapshot.toString());
            long epoch = snapshot.getJsonNumber("epoch").longValue();

            try {
                DuplexCluster.launcher("switchover", target);
                EventStream.Received switched = stream.await("cluster-event",
                        e -> e.getString("kind").equals("switchover"), Duration.ofSeconds(15));
                JsonObject event = switched.data();
                assertEquals(target, event.getString("node"));
                assertEquals(epoch + 1, event.getJsonNumber("epoch").longValue());
                assertEquals(event.getString("id"), switched.id());
                LOG.info("switchover event streamed " + Duration.between(Instant.parse(event.getString("at")),
                        switched.arrived()).toMillis() + " ms after it was recorded");
                stream.await("cluster", c -> c.getString("role").equals("primary") && c.getJsonNumber("epoch").longValue() == epoch + 1,
                        Duration.ofSeconds(10));

                // the history, newest first, from either node, with the old primary's own account
                Poll.until(Duration.ofSeconds(10), "switchover and fenced listed", () -> {
                    List<JsonObject> events = call(primary, "GET", "/events?limit=20", null, null).jsonArray()
                            .getValuesAs(JsonObject.class);
                    return events.stream().anyMatch(e -> e.getString("id").equals(event.getString("id")))
                            && events.stream().anyMatch(e -> e.getString("kind").equals("fenced") && e.getString("node").equals(primary)
                                    && e.getJsonNumber("epoch").longValue() == epoch + 1);
                });
                List<JsonObject> listed = call(target, "GET", "/events?limit=20", null, null).jsonArray().getValuesAs(JsonObject.class);
                for (int i = 1; i < listed.size(); i++) {
                    assertTrue(listed.get(i - 1).getString("at").compareTo(listed.get(i).getString("at")) >= 0, "newest first");
                }
                for (JsonObject e : listed) {
                    for (String field : List.of("id", "at", "node", "kind", "epoch", "detail")) {
                        assertNotNull(e.get(field), field + " in " + e);
                    }
                }
            } finally {
                DuplexCluster.launcher("switchover", primary);
            }
        }
    }

    @Test
    void streamEndsCleanlyWhenItsNodeUndeploys() throws Exception {
        String backup = RestCalls.other(primary);
        try (EventStream stream = EventStream.open(backup)) {
            stream.await("cluster", c -> true, Duration.ofSeconds(10));
            long t0 = System.nanoTime();
            deployer.undeploy("duplex-on-" + backup);
            long undeployMs = (System.nanoTime() - t0) / 1_000_000;
            Poll.until(Duration.ofSeconds(10), "the stream ended by the server", stream::ended);
            LOG.info("undeploy with an open event stream took " + undeployMs + " ms");
            assertTrue(undeployMs < 30_000, "an open stream held the undeploy up for " + undeployMs + " ms");
        }
        // the next test's setup deploys it again
    }
}
