package org.duplex.web;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.duplex.reservation.api.DuplexException;

/**
 * An error as the REST API answers it: an RFC 9457 problem details object, media type
 * {@value #MEDIA_TYPE}, with the members {@code type} ({@code urn:duplex:problem:<code>}),
 * {@code title}, {@code status}, {@code detail}, and the extensions {@code code} (the Duplex error
 * name, as in {@link DuplexException#code()}), {@code exception} (the Duplex exception's simple
 * class name, when one was thrown) and {@code retryable} (whether resending the same request, same
 * operation id, may succeed). Some problems carry more members (the primary's location, for one).
 *
 * <p>The status of each Duplex error is decided here, and nowhere else: see {@link #of(DuplexException)}.
 */
public record Problem(int status, String code, String title, String detail, String exception, boolean retryable,
                      Map<String, String> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** HTTP 421 Misdirected Request (RFC 9110 15.5.20): not a constant of JAX-RS. */
    public static final int MISDIRECTED_REQUEST = 421;
    /** HTTP 422 Unprocessable Content (RFC 9110 15.5.21). */
    public static final int UNPROCESSABLE_CONTENT = 422;

    public Problem {
        // null values allowed: a member may be known to be unknown ("primary": null)
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /** The problem type URI. */
    public String type() {
        return "urn:duplex:problem:" + code;
    }

    /**
     * The answer to a refused request. The status says who must act: 400 and 404 the caller's input, 410 a
     * hold that lapsed,
     * 403 a client id of another user's (see {@code ClientIds}), 409 the state it met (no units left, a version it did not read), 422 an operation id reused for
     * another request (as for a reused idempotency key), 421 a write sent to a node that is not the
     * primary, 503 a database that is down (resend later), 500 what no caller can fix.
     */
    public static Problem of(DuplexException e) {
        int status;
        String title;
        switch (e.code()) {
            case "invalid-request" -> { status = 400; title = "Invalid request"; }
            case "unknown-resource" -> { status = 404; title = "Unknown resource"; }
            case "unknown-reservation" -> { status = 404; title = "Unknown reservation"; }
            case "unknown-hold" -> { status = 404; title = "Unknown hold"; }
            case "hold-expired" -> { status = 410; title = "The hold expired"; }
            case "holds-unavailable" -> { status = 503; title = "Holds cannot be placed now"; }
            case "overbooking" -> { status = 409; title = "Not enough units available"; }
            case "concurrent-update" -> { status = 409; title = "Changed since it was read"; }
            case "conflict" -> { status = UNPROCESSABLE_CONTENT; title = "Contradicts an earlier request"; }
            case "foreign-client" -> { status = 403; title = "Another user's client id"; }
            case "not-primary" -> { status = MISDIRECTED_REQUEST; title = "Not the primary"; }
            case "replica-unavailable" -> { status = 503; title = "A database is unavailable"; }
            case "replica-divergence" -> { status = 500; title = "The databases disagree"; }
            default -> { status = 500; title = "Refused"; }
        }
        return new Problem(status, e.code(), title, e.getMessage(), e.getClass().getSimpleName(), e.retryable(), Map.of());
    }

    /** A problem no Duplex exception stands for (authentication, HTTP method, media type, a bug). */
    public static Problem of(int status, String code, String title, String detail) {
        return new Problem(status, code, title, detail, null, false, Map.of());
    }

    public Problem with(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Problem(status, code, title, detail, exception, retryable, more);
    }

    public Problem withStatus(int newStatus, String newTitle) {
        return new Problem(newStatus, code, newTitle, detail, exception, retryable, extensions);
    }

    public JsonObject toJson() {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("type", type())
                .add("title", title)
                .add("status", status)
                .add("detail", detail == null ? title : detail)
                .add("code", code);
        if (exception != null) {
            json.add("exception", exception);
        }
        json.add("retryable", retryable);
        extensions.forEach((name, value) -> {
            if (value == null) {
                json.addNull(name);
            } else {
                json.add(name, value);
            }
        });
        return json.build();
    }

    /** The response: status, {@value #MEDIA_TYPE}, the JSON body, and {@code Retry-After} when resending may help. */
    public Response.ResponseBuilder response() {
        // JAX-RS and Undertow know no reason phrase for 421 and 422 ("Unknown" otherwise)
        Response.ResponseBuilder r = (status == MISDIRECTED_REQUEST ? Response.status(status, "Misdirected Request")
                : status == UNPROCESSABLE_CONTENT ? Response.status(status, "Unprocessable Content") : Response.status(status))
                .type(MEDIA_TYPE).entity(toJson().toString());
        if (retryAfterSeconds() != null) {
            r.header("Retry-After", retryAfterSeconds());
        }
        return r;
    }

    /** A 503 is worth resending in about a second (the detector's round is 200 ms, a promotion under one second). */
    public Integer retryAfterSeconds() {
        return status == 503 ? 1 : null;
    }
}
