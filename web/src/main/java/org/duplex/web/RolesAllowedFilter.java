package org.duplex.web;

import jakarta.annotation.Priority;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Enforces {@link RolesAllowed} on the API's resource methods (method first, then class), before
 * anything runs: no caller identity is 401 with a BASIC challenge for {@code ApplicationRealm}, an
 * identity without any of the roles is 403; both as problems. The identity is the one Undertow
 * authenticated (Elytron, application security domain {@code other}, BASIC from {@code web.xml}),
 * and the EJB container checks the same identity again on the service.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class RolesAllowedFilter implements ContainerRequestFilter {

    static final String CHALLENGE = "Basic realm=\"ApplicationRealm\", charset=\"UTF-8\"";

    @Context
    private ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return;
        }
        RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
        if (allowed == null) {
            allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
        }
        if (allowed == null) {
            return;
        }
        SecurityContext security = request.getSecurityContext();
        if (security == null || security.getUserPrincipal() == null) {
            request.abortWith(Problem.of(401, "unauthenticated", "Authentication required",
                            "this operation needs a user with role " + String.join(" or ", allowed.value())
                                    + " (HTTP BASIC, ApplicationRealm)")
                    .response().header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build());
            return;
        }
        if (Arrays.stream(allowed.value()).noneMatch(security::isUserInRole)) {
            request.abortWith(Problem.of(403, "forbidden", "Forbidden", "user " + security.getUserPrincipal().getName()
                    + " lacks role " + String.join(" or ", allowed.value()) + " for this operation").response().build());
        }
    }
}
