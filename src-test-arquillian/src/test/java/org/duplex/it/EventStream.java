package org.duplex.it;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.sse.InboundSseEvent;
import jakarta.ws.rs.sse.SseEventSource;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jboss.resteasy.plugins.providers.sse.client.SseEventSourceImpl;

/**
 * A client of {@code GET /duplex/api/events/stream} through Jakarta REST's {@link SseEventSource}
 * (RESTEasy's client): the server-sent events, parsed (event name, id, data as JSON), with the time each
 * arrived. It trusts the suite's CA only, and does not reconnect: a stream the server ends stays
 * {@link #ended()}, which is what a test of the end looks at.
 */
final class EventStream implements AutoCloseable {

    record Received(String name, String id, JsonObject data, Instant arrived) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Client client;
    private final SseEventSource source;
    private volatile int status;
    private volatile String contentType = "";
    private volatile boolean ended;
    private volatile Throwable error;

    private EventStream(String node) {
        client = ClientBuilder.newBuilder()
                .sslContext(DuplexCluster.tlsContext())
                .connectTimeout(2, TimeUnit.SECONDS)
                .build();
        // the stream's own answer, as the source reads it (the source keeps status and headers to itself)
        client.register((ClientResponseFilter) (request, response) -> {
            status = response.getStatus();
            contentType = response.getHeaderString(HttpHeaders.CONTENT_TYPE) == null ? ""
                    : response.getHeaderString(HttpHeaders.CONTENT_TYPE);
        });
        SseEventSource.Builder builder = SseEventSource.target(
                client.target(DuplexCluster.httpBase(node) + "/duplex/api/events/stream"));
        // RESTEasy's source reconnects after the server ends a stream, by default
        ((SseEventSourceImpl.SourceBuilder) builder).alwaysReconnect(false);
        source = builder.build();
        source.register(this::receive, failure -> {
            error = failure;
            ended = true;
        }, () -> ended = true);
    }

    /** Connected (RESTEasy's open() waits for the server's answer), or an IOException when it never answered. */
    static EventStream open(String node) throws IOException {
        EventStream stream = new EventStream(node);
        stream.source.open();
        if (stream.status == 0 && stream.error != null) {
            stream.client.close();
            throw new IOException("no event stream from " + node + ": " + stream.error, stream.error);
        }
        return stream;
    }

    int status() {
        return status;
    }

    String contentType() {
        return contentType;
    }

    private void receive(InboundSseEvent event) {
        if (event.isEmpty()) {
            return;
        }
        try (JsonReader json = Json.createReader(new StringReader(event.readData()))) {
            received.add(new Received(event.getName() == null ? "message" : event.getName(), event.getId(),
                    json.readObject(), Instant.now()));
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

    /** Whether the server ended the stream (or it failed, or close() ended it). */
    boolean ended() {
        return ended || !source.isOpen();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        try {
            source.close(5, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }
}
