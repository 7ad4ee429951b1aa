package org.duplex.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

/** The answer to a write under the exactly-once rule: 201 Created with the new thing's location, or 200 for a resend. */
final class WriteResponse {

    private WriteResponse() {
    }

    /**
     * @param duplicate whether the request had been applied before (nothing was done now)
     * @param location  where the new thing is read, used only for a 201
     * @param entity    the JSON answer
     */
    static Response of(boolean duplicate, UriBuilder location, Object entity) {
        return duplicate ? Response.ok(entity).build() : Response.created(location.build()).entity(entity).build();
    }
}
