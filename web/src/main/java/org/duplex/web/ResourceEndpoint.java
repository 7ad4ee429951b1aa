package org.duplex.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.List;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.ReservationService;
import org.duplex.reservation.api.ResourceView;

/**
 * The inventory: read by anyone, created and resized by role {@code admin}. The rules (id syntax,
 * capacity range, optimistic versions) are the service's; this class only adapts JSON.
 */
@RequestScoped
@Path("resources")
@Produces(MediaType.APPLICATION_JSON)
public class ResourceEndpoint {

    @EJB
    private ReservationService service;

    @Context
    private UriInfo uri;

    @GET
    public List<ResourceJson> list() throws DuplexException {
        return service.listResources().stream().map(ResourceJson::of).toList();
    }

    @GET
    @Path("{id}")
    public ResourceJson get(@PathParam("id") String id) throws DuplexException {
        return ResourceJson.of(service.getResource(id));
    }

    /**
     * Creates {@code {"clientId", "operationId", "id", "name", "capacity"}}, exactly once per client and
     * operation id: 201 with the resource and its {@code Location}; the same request again 200 with the
     * original answer marked {@code "duplicate": true}, having written nothing. A new request for an id
     * that exists, or the operation id reused for another request, is a 422 conflict.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    public Response create(InputStream body) throws DuplexException {
        RequestBody json = RequestBody.read(body);
        ResourceView created = service.createResource(json.text("clientId"), json.text("operationId"), json.text("id"),
                json.text("name"), json.wholeNumber("capacity"));
        if (created.duplicate()) {
            return Response.ok(ResourceJson.of(created)).build();
        }
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                .entity(ResourceJson.of(created)).build();
    }

    /**
     * Sets {@code {"clientId", "operationId", "capacity", "expectedVersion"}}, exactly once per client and
     * operation id: the version must be the one the caller read (409 {@code concurrent-update} if not), and
     * the capacity may not go below what is reserved. The same request again answers 200 with the original
     * answer marked {@code "duplicate": true}, never a version conflict.
     */
    @PUT
    @Path("{id}/capacity")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    public ResourceJson changeCapacity(@PathParam("id") String id, InputStream body) throws DuplexException {
        RequestBody json = RequestBody.read(body);
        return ResourceJson.of(service.changeCapacity(json.text("clientId"), json.text("operationId"), id,
                json.wholeNumber("capacity"), json.wholeNumber("expectedVersion")));
    }

    /**
     * A resource; {@code held} is the units live holds keep (0 in the answer to a write), {@code available}
     * is capacity - reserved - held; {@code duplicate} is true only in the answer to a resent write.
     */
    public record ResourceJson(String id, String name, long capacity, long reserved, long held, long available,
                               long version, boolean duplicate) {
        static ResourceJson of(ResourceView r) {
            return new ResourceJson(r.id(), r.name(), r.capacity(), r.reserved(), r.held(), r.available(), r.version(),
                    r.duplicate());
        }
    }
}
