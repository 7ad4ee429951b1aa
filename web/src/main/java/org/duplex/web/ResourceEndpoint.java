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
import org.duplex.reservation.api.UnknownResourceException;

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
     * Creates {@code {"id", "name", "capacity"}}: 201 with the resource. Idempotent: the same
     * definition again answers 200 with it; the same id defined otherwise is a 422 conflict.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    public Response create(InputStream body) throws DuplexException {
        RequestBody json = RequestBody.read(body);
        String id = json.text("id");
        boolean existed = exists(id);
        ResourceView created = service.createResource(id, json.text("name"), json.wholeNumber("capacity"));
        return (existed ? Response.ok() : Response.created(uri.getAbsolutePathBuilder().path(created.id()).build()))
                .entity(ResourceJson.of(created)).build();
    }

    /**
     * Sets {@code {"capacity", "expectedVersion"}}: the version must be the one the caller read
     * (409 {@code concurrent-update} if not), and the capacity may not go below what is reserved.
     */
    @PUT
    @Path("{id}/capacity")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    public ResourceJson changeCapacity(@PathParam("id") String id, InputStream body) throws DuplexException {
        RequestBody json = RequestBody.read(body);
        return ResourceJson.of(service.changeCapacity(id, json.wholeNumber("capacity"), json.wholeNumber("expectedVersion")));
    }

    /** Only for the status code (201 or 200): the service decides whether the create is valid. */
    private boolean exists(String id) {
        try {
            service.getResource(id);
            return true;
        } catch (UnknownResourceException e) {
            return false;
        } catch (DuplexException e) {
            // invalid id and the like: the create call says why
            return false;
        }
    }

    public record ResourceJson(String id, String name, long capacity, long reserved, long available, long version) {
        static ResourceJson of(ResourceView r) {
            return new ResourceJson(r.id(), r.name(), r.capacity(), r.reserved(), r.available(), r.version());
        }
    }
}
