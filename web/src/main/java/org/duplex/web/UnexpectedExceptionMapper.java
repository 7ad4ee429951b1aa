package org.duplex.web;

import jakarta.ejb.EJBAccessException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything that is not a Duplex refusal, as a problem too, so that no error of the API is an HTML
 * page: HTTP-level refusals (unknown path 404, method 405, media type 415, not acceptable 406) keep
 * their status; a role the EJB container refused is 403; anything else is a 500 whose detail names
 * the exception type and an incident id that the server log carries with the stack trace.
 */
@Provider
@ApplicationScoped
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof WebApplicationException w) {
            Response original = w.getResponse();
            int status = original.getStatus();
            Response.ResponseBuilder r = httpProblem(status, w.getMessage()).response();
            original.getHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                    values.forEach(v -> r.header(name, v));
                }
            });
            return r.build();
        }
        if (e instanceof EJBAccessException) {
            return Problem.of(403, "forbidden", "Forbidden", "the caller's roles do not allow this operation")
                    .response().build();
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "unexpected failure, incident " + incident, e);
        return Problem.of(500, "internal-error", "Internal error", "unexpected " + e.getClass().getSimpleName()
                + "; the server log has the details under incident " + incident).with("incident", incident)
                .response().build();
    }

    static Problem httpProblem(int status, String message) {
        return switch (status) {
            case 400 -> Problem.of(400, "invalid-request", "Invalid request", message);
            case 404 -> Problem.of(404, "not-found", "Not found", "no such path in the Duplex API: see docs/rest-api.md");
            case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed", message);
            case 406 -> Problem.of(406, "not-acceptable", "Not acceptable", message);
            case 415 -> Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "send the request body as Content-Type: application/json");
            default -> Problem.of(status, "http-" + status, Response.Status.fromStatusCode(status) == null
                    ? "HTTP " + status : Response.Status.fromStatusCode(status).getReasonPhrase(), message);
        };
    }
}
