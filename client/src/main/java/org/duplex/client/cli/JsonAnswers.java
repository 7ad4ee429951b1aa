package org.duplex.client.cli;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import org.duplex.client.AccessRefusedException;
import org.duplex.reservation.api.Hold;
import org.duplex.reservation.api.PrimaryBinding;
import org.duplex.reservation.api.ReservationResult;
import org.duplex.reservation.api.ResourceView;

/**
 * What the duplex-client commands print with {@code --json}, one record per shape (docs/operating.md shows
 * them): the member names and their order are a contract that scripts read, so they are spelled here rather
 * than derived from the remote API's classes. Null members are written as {@code null}. Public only because
 * Yasson reads the components of public records alone.
 */
public final class JsonAnswers {

    private JsonAnswers() {
    }

    /** {@code reserve}, {@code cancel}, {@code get}, and each element of {@code list}. */
    @JsonbNillable
    @JsonbPropertyOrder({"id", "clientId", "operationId", "resourceId", "quantity", "status", "epoch", "node",
            "createdAt", "duplicate"})
    public record Reservation(String id, String clientId, String operationId, String resourceId, int quantity, String status,
                       long epoch, String node, String createdAt, boolean duplicate) {
        static Reservation of(ReservationResult r) {
            return new Reservation(r.id(), r.clientId(), r.operationId(), r.resourceId(), r.quantity(),
                    r.status() == null ? null : r.status().name(), r.epoch(), r.node(),
                    r.createdAt() == null ? null : r.createdAt().toString(), r.duplicate());
        }
    }

    /** {@code create-resource}, and each element of {@code resources}; {@code held}: units kept by live holds. */
    @JsonbNillable
    @JsonbPropertyOrder({"id", "name", "capacity", "reserved", "held", "available", "version", "duplicate"})
    public record Resource(String id, String name, long capacity, long reserved, long held, long available, long version,
                    boolean duplicate) {
        static Resource of(ResourceView v) {
            return new Resource(v.id(), v.name(), v.capacity(), v.reserved(), v.held(), v.available(), v.version(),
                    v.duplicate());
        }
    }

    /** {@code hold}, {@code release}, and each element of {@code holds}; {@code expiresAt} ISO-8601 UTC. */
    @JsonbNillable
    @JsonbPropertyOrder({"id", "clientId", "operationId", "resourceId", "quantity", "status", "expiresAt", "epoch",
            "node", "duplicate"})
    public record HoldAnswer(String id, String clientId, String operationId, String resourceId, int quantity,
                             String status, String expiresAt, long epoch, String node, boolean duplicate) {
        static HoldAnswer of(Hold h) {
            return new HoldAnswer(h.id(), h.clientId(), h.operationId(), h.resourceId(), h.quantity(), h.status().name(),
                    h.expiresAt().toString(), h.epoch(), h.node(), h.duplicate());
        }
    }

    /** {@code primary}. */
    @JsonbNillable
    @JsonbPropertyOrder({"node", "url", "epoch"})
    public record Primary(String node, String url, long epoch) {
        static Primary of(PrimaryBinding b) {
            return new Primary(b.node(), b.url(), b.epoch());
        }
    }

    /** A refusal or a give-up: {@code {"error":{"type":..,"exception":..,"message":..}}}. */
    @JsonbNillable
    public record Failure(Error error) {
    }

    /** {@code type}: the refusal's code, {@code forbidden} or {@code gave-up}; {@code exception}: its simple class name. */
    @JsonbNillable
    @JsonbPropertyOrder({"type", "exception", "message"})
    public record Error(String type, String exception, String message) {
    }

    /** A refused login or a missing role: the error of {@link Failure} with the user and the node that refused. */
    @JsonbNillable
    public record AccessFailure(AccessError error) {
    }

    /** {@code type}: {@code unauthenticated} or {@code forbidden}; {@code user}, {@code node}: who was refused where. */
    @JsonbNillable
    @JsonbPropertyOrder({"type", "exception", "message", "user", "node"})
    public record AccessError(String type, String exception, String message, String user, String node) {
    }

    /** The error document of a refusal or a give-up, as one line. */
    static String error(String type, Throwable exception, String message) {
        return JsonDocuments.write(new Failure(new Error(type, exception.getClass().getSimpleName(), message)));
    }

    /** The error document of a refused login or a missing role, naming the user and the node, as one line. */
    static String accessError(String type, AccessRefusedException e) {
        return JsonDocuments.write(new AccessFailure(new AccessError(type, e.getClass().getSimpleName(), e.getMessage(),
                e.user(), e.node())));
    }
}
