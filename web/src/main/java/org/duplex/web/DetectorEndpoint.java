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
import org.duplex.detector.LoginLockouts;
import org.duplex.detector.LoginWatch;

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

    @EJB
    private LoginWatch logins;

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

    /**
     * The application users this node has locked out after repeated failed logins (WildFly's brute-force
     * mitigation), each with when its lockout ends unless it fails again, and the settings the node runs
     * with. Role {@code admin}: the names of locked users are not for anyone ({@code ./duplex status} asks
     * as {@code duplex-admin}).
     */
    @GET
    @RolesAllowed("admin")
    @Path("cluster/lockouts")
    public LockoutsView lockouts() {
        LoginLockouts.Settings s = logins.settings();
        return new LockoutsView(detector.heartbeat().node(), s.enabled(), s.maxFailedAttempts(), s.lockout().toMinutes(),
                logins.lockouts().stream().map(l -> new LockoutView(l.identity(), l.since().toString(),
                        l.until().toString(), l.failures())).toList());
    }

    public record LockoutsView(String node, boolean enabled, int maxFailedAttempts, long lockoutMinutes,
                               java.util.List<LockoutView> locked) {
    }

    public record LockoutView(String identity, String since, String until, int failures) {
    }
}
