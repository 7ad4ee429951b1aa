package org.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;

/**
 * The REST API as an HTTP client sees it: one call to one node, as anonymous or as one of the users
 * {@code ./duplex setup} created (the password read from the suite's secrets), and the answer.
 */
final class RestCalls {

    private static final HttpClient HTTP = DuplexCluster.http();

    private RestCalls() {
    }

    record Answer(int status, HttpResponse<String> response) {
        String body() {
            return response.body();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        JsonObject json() {
            try (JsonReader r = Json.createReader(new StringReader(body()))) {
                return r.readObject();
            }
        }

        JsonArray jsonArray() {
            try (JsonReader r = Json.createReader(new StringReader(body()))) {
                return r.readArray();
            }
        }

        /** An RFC 9457 problem of this status and Duplex error code, explained. */
        JsonObject assertProblem(int expectedStatus, String code) {
            assertEquals(expectedStatus, status, () -> "status of " + body());
            assertEquals("application/problem+json", header("Content-Type"), () -> "media type of " + body());
            JsonObject p = json();
            assertEquals("urn:duplex:problem:" + code, p.getString("type"), body());
            assertEquals(expectedStatus, p.getInt("status"), body());
            assertEquals(code, p.getString("code"), body());
            assertTrue(!p.getString("title").isBlank() && !p.getString("detail").isBlank(), body());
            return p;
        }
    }

    /** {@code user} null: anonymous; otherwise duplex-client or duplex-admin. */
    static Answer call(String node, String method, String path, String json, String user)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(DuplexCluster.httpBase(node) + "/duplex/api" + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            request.header("Authorization", basic(user, password(user)));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response);
    }

    static Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response);
    }

    static String password(String user) throws IOException {
        String file = user.equals("duplex-admin") ? "admin-password" : "client-password";
        return Files.readString(DuplexCluster.home().resolve("secrets").resolve(file)).trim();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The node the databases name primary now. */
    static String primary() throws Exception {
        return DuplexCluster.rows("db-a", "select primary_node from cluster_state").get(0);
    }

    static String other(String node) {
        return node.equals("node-a") ? "node-b" : "node-a";
    }
}
