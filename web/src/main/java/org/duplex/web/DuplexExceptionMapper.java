package org.duplex.web;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.duplex.detector.DetectorSettings;
import org.duplex.detector.FaultDetector;
import org.duplex.reservation.api.DuplexException;

/**
 * A refused request as a problem (see {@link Problem#of(DuplexException)} for the statuses).
 *
 * <p>A write that reaches a node which is not the primary is not forwarded: it is refused with 421
 * Misdirected Request, a {@code Location} header naming the same URL on the primary, and the members
 * {@code primary} and {@code primaryUrl}; nothing was written, and the client resends the same request
 * (same operation id) there. While this node does not know another primary (a promotion under way) the
 * answer is 503 with {@code Retry-After} instead.
 */
@Provider
@ApplicationScoped
public class DuplexExceptionMapper implements ExceptionMapper<DuplexException> {

    @EJB
    private FaultDetector detector;

    @Context
    private UriInfo uri;

    @Override
    public Response toResponse(DuplexException e) {
        Problem problem = Problem.of(e);
        if (problem.status() != Problem.MISDIRECTED_REQUEST) {
            return problem.response().build();
        }
        FaultDetector.Heartbeat beat = detector.heartbeat();
        String primary = beat.primary();
        if (primary == null || primary.equals(beat.node())) {
            return problem.withStatus(503, "No primary known yet").with("primary", null).response().build();
        }
        String base = DetectorSettings.fromSystemProperties().httpBase(primary);
        String location = base + uri.getRequestUri().getRawPath()
                + (uri.getRequestUri().getRawQuery() == null ? "" : "?" + uri.getRequestUri().getRawQuery());
        return problem.with("primary", primary).with("primaryUrl", base + "/duplex/api")
                .response().location(java.net.URI.create(location)).build();
    }
}
