package org.duplex.web;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import org.duplex.detector.ClusterEvent;
import org.duplex.detector.ClusterEventLog;
import org.duplex.reservation.api.InvalidRequestException;

/**
 * What happened to the cluster (anonymous, read-only): the {@code cluster_event} history of both
 * databases, and a live stream of the cluster's state and its new events (see {@link ClusterStream}
 * for the stream's contract).
 */
@RequestScoped
@Path("events")
public class EventEndpoint {

    static final int MAX_LIMIT = 1000;

    @EJB
    private ClusterEventLog log;

    @Inject
    private ClusterStream stream;

    /** The newest {@code limit} events (default 50, at most 1000), newest first. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<EventJson> recent(@QueryParam("limit") @DefaultValue("50") String limit) throws InvalidRequestException {
        int n;
        try {
            n = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("limit must be a whole number, not '" + limit + "'");
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT + " (got " + n + ")");
        }
        return log.recent(n).stream().map(EventJson::of).toList();
    }

    /** Server-sent events: {@code cluster} about every 500 ms, {@code cluster-event} for each new event. */
    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@Context SseEventSink sink, @Context Sse sse) {
        stream.subscribe(sink, sse);
    }

    /** One event as the API shows it; {@code at} is ISO-8601 UTC. */
    public record EventJson(String id, String at, String node, String kind, long epoch, String detail) {
        static EventJson of(ClusterEvent e) {
            return new EventJson(e.id(), e.at().toString(), e.node(), e.kind(), e.epoch(), e.detail());
        }
    }
}
