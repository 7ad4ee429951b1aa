package org.duplex.web;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.NodeInfo;
import org.duplex.reservation.api.ReservationService;

/** Which node answers and what its database says; anonymous, read-only (the launcher waits on it). */
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

    public record ClusterView(String node, String ownDatabase, String primary, long epoch) {
    }
}
