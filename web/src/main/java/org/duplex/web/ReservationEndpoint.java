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
import org.duplex.reservation.api.ReservationResult;
import org.duplex.reservation.api.ReservationService;

/**
 * Reservations over HTTP, role {@code client}, with the service's exactly-once rule: a request
 * carries {@code clientId} and {@code operationId}, and sending it again returns the original
 * answer marked {@code "duplicate": true} (200 instead of 201), having written nothing.
 */
@RequestScoped
@Path("reservations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("client")
public class ReservationEndpoint {

    @EJB
    private ReservationService service;

    @Context
    private UriInfo uri;

    /** {@code {"clientId", "operationId", "resourceId", "quantity"}}: 201 with the reservation, 200 for a duplicate. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response reserve(InputStream body) throws DuplexException {
        RequestBody json = RequestBody.read(body);
        ReservationResult r = service.reserve(json.text("clientId"), json.text("operationId"), json.text("resourceId"),
                json.integer("quantity"));
        return WriteResponse.of(r.duplicate(), uri.getAbsolutePathBuilder().path(r.id()).queryParam("clientId", r.clientId()),
                ReservationJson.of(r));
    }

    @GET
    public List<ReservationJson> list(@QueryParam("clientId") String clientId) throws DuplexException {
        return service.listReservations(clientId).stream().map(ReservationJson::of).toList();
    }

    @GET
    @Path("{id}")
    public ReservationJson get(@PathParam("id") String id, @QueryParam("clientId") String clientId)
            throws DuplexException {
        return ReservationJson.of(service.getReservation(clientId, id));
    }

    /** {@code {"clientId", "operationId"}}: cancels once; the same cancel again answers the cancelled reservation marked duplicate. */
    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    public ReservationJson cancel(@PathParam("id") String id, InputStream body) throws DuplexException {
        RequestBody json = RequestBody.read(body);
        return ReservationJson.of(service.cancel(json.text("clientId"), json.text("operationId"), id));
    }

    public record ReservationJson(String id, String clientId, String operationId, String resourceId, int quantity,
                                  String status, String createdAt, long epoch, String node, boolean duplicate) {
        static ReservationJson of(ReservationResult r) {
            return new ReservationJson(r.id(), r.clientId(), r.operationId(), r.resourceId(), r.quantity(),
                    r.status().name(), r.createdAt() == null ? null : r.createdAt().toString(), r.epoch(), r.node(),
                    r.duplicate());
        }
    }
}
