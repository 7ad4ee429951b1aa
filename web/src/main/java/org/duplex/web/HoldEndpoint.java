package org.duplex.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.List;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.Hold;
import org.duplex.reservation.api.ReservationResult;
import org.duplex.reservation.api.ReservationService;
import org.duplex.web.ReservationEndpoint.ReservationJson;

/**
 * Holds over HTTP, role {@code client}, with the service's exactly-once rule: every write carries
 * {@code clientId} and {@code operationId}, and sending it again returns the original answer marked
 * {@code "duplicate": true} (200 instead of 201), having done nothing. Errors are problem+json like every
 * endpoint's: {@code unknown-hold} 404, {@code hold-expired} 410, {@code overbooking} 409,
 * {@code holds-unavailable} 503 with {@code Retry-After} (resend the same request).
 */
@RequestScoped
@Path("holds")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("client")
public class HoldEndpoint {

    @EJB
    private ReservationService service;

    @Context
    private UriInfo uri;

    /**
     * {@code {"clientId", "operationId", "resourceId", "quantity", "seconds"}} ({@code seconds} optional, default
     * {@value ReservationService#DEFAULT_HOLD_SECONDS}): 201 with the hold, 200 for a duplicate.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response hold(InputStream body) throws DuplexException {
        RequestBody json = RequestBody.read(body);
        Hold h = service.hold(json.text("clientId"), json.text("operationId"), json.text("resourceId"),
                json.integer("quantity"), json.optionalInteger("seconds", ReservationService.DEFAULT_HOLD_SECONDS));
        return WriteResponse.of(h.duplicate(), uri.getAbsolutePathBuilder().queryParam("clientId", h.clientId()),
                HoldJson.of(h));
    }

    /** The client's live holds, soonest expiry first. */
    @GET
    public List<HoldJson> list(@QueryParam("clientId") String clientId) throws DuplexException {
        return service.listHolds(clientId).stream().map(HoldJson::of).toList();
    }

    /** {@code {"clientId", "operationId"}}: 201 with the reservation the hold became, 200 for a duplicate. */
    @POST
    @Path("{id}/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response confirm(@PathParam("id") String id, InputStream body) throws DuplexException {
        RequestBody json = RequestBody.read(body);
        ReservationResult r = service.confirm(json.text("clientId"), json.text("operationId"), id);
        return WriteResponse.of(r.duplicate(), uri.getBaseUriBuilder().path("reservations").path(r.id())
                .queryParam("clientId", r.clientId()), ReservationJson.of(r));
    }

    /** {@code {"clientId", "operationId"}}: the released hold; the same release again answers it marked duplicate. */
    @POST
    @Path("{id}/release")
    @Consumes(MediaType.APPLICATION_JSON)
    public HoldJson release(@PathParam("id") String id, InputStream body) throws DuplexException {
        RequestBody json = RequestBody.read(body);
        return HoldJson.of(service.release(json.text("clientId"), json.text("operationId"), id));
    }

    /** A hold as JSON; {@code expiresAt} is ISO-8601 UTC, {@code status} one of HELD, CONFIRMED, RELEASED, EXPIRED. */
    public record HoldJson(String id, String clientId, String operationId, String resourceId, int quantity,
                           String expiresAt, String status, long epoch, String node, boolean duplicate) {
        static HoldJson of(Hold h) {
            return new HoldJson(h.id(), h.clientId(), h.operationId(), h.resourceId(), h.quantity(),
                    h.expiresAt().toString(), h.status().name(), h.epoch(), h.node(), h.duplicate());
        }
    }
}
