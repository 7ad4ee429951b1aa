package org.duplex.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.duplex.detector.FaultDetector;

/**
 * The fault detector over HTTP: the heartbeat the other node's detector probes (anonymous: it reveals
 * only the node's role and view of the cluster), and the planned switchover to this node that
 * {@code ./duplex switchover} and an admin's rebind ask for (role {@code admin}).
 */
@RequestScoped
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class DetectorEndpoint {

    @EJB
    private FaultDetector detector;

    /**
     * Answers from memory: it must stay fast while the detector is busy with the databases. 200 while
     * the detector is healthy, 503 with the same body when it is not (its round failed, it reads no
     * majority of the epoch stores, or as primary it cannot make its liveness tick).
     */
    @GET
    @Path("heartbeat")
    public Response heartbeat() {
        FaultDetector.Heartbeat beat = detector.heartbeat();
        return Response.status(beat.healthy() ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE)
                .entity(beat).build();
    }

    /**
     * Makes this node the primary: writes in flight on the old primary finish first, then the epoch
     * moves. Role {@code admin}: {@code ./duplex switchover} and the other node's detector (an admin's
     * rebind) authenticate as {@code duplex-admin}.
     */
    @POST
    @RolesAllowed("admin")
    @Path("cluster/switchover")
    public Map<String, String> switchover() {
        return Map.of("result", detector.switchover());
    }
}
