package org.duplex.web;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.NodeInfo;
import org.duplex.reservation.api.ReservationService;

/** Read-only views: which node answers and what its database says, and the inventory. */
@RequestScoped
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterEndpoint {

    @EJB
    private ReservationService service;

    /** Answers once the node is deployed and its own database is readable: the launcher waits on it. */
    @GET
    @Path("cluster")
    public ClusterView cluster() throws DuplexException {
        NodeInfo info = service.nodeInfo();
        return new ClusterView(info.node(), info.ownDatabase(), info.primary(), info.epoch());
    }

    @GET
    @Path("resources")
    public List<ResourceJson> resources() throws DuplexException {
        return service.listResources().stream()
                .map(r -> new ResourceJson(r.id(), r.name(), r.capacity(), r.reserved(), r.available(), r.version()))
                .toList();
    }

    public record ClusterView(String node, String ownDatabase, String primary, long epoch) {
    }

    public record ResourceJson(String id, String name, long capacity, long reserved, long available, long version) {
    }
}
