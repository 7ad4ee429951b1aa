package org.duplex.it;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A client of {@code GET /duplex/api/events/stream} as a browser's EventSource reads it: the
 * server-sent events, parsed (event name, data as JSON), with the time each arrived.
 */
final class EventStream implements AutoCloseable {

    record Received(String name, String id, JsonObject data, Instant arrived) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final InputStream body;
    private final Thread reader;
    private final int status;
    private final String contentType;

    private EventStream(HttpResponse<InputStream> response) {
        this.body = response.body();
        this.status = response.statusCode();
        this.contentType = response.headers().firstValue("Content-Type").orElse("");
        this.reader = new Thread(this::read, "event-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static EventStream open(String node) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(DuplexCluster.httpBase(node) + "/duplex/api/events/stream"))
                .header("Accept", "text/event-stream").GET().build();
        return new EventStream(DuplexCluster.http().send(request, HttpResponse.BodyHandlers.ofInputStream()));
    }

    int status() {
        return status;
    }

    String contentType() {
        return contentType;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = "message";
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        try (JsonReader json = Json.createReader(new StringReader(data.toString()))) {
                            received.add(new Received(name, id, json.readObject(), Instant.now()));
                        }
                    }
                    name = "message";
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).trim());
                }
            }
        } catch (IOException e) {
            // the stream was closed: by close(), or by the server going away
        }
    }

    /** The first event of this name whose data matches, waiting for it until the deadline. */
    Received await(String name, Predicate<JsonObject> matching, Duration timeout) throws Exception {
        Received[] found = new Received[1];
        Poll.until(timeout, "a '" + name + "' event as expected on the stream (got " + received.size() + " events)", () -> {
            for (Received r : received) {
                if (r.name().equals(name) && matching.test(r.data())) {
                    found[0] = r;
                    return true;
                }
            }
            return false;
        });
        if (found[0] == null) {
            fail("no " + name + " event");
        }
        return found[0];
    }

    /** Whether the server ended the stream (or close() did). */
    boolean ended() {
        return !reader.isAlive();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        body.close();
        reader.join(Duration.ofSeconds(5).toMillis());
    }
}
