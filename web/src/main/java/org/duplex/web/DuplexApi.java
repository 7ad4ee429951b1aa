package org.duplex.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API, under {@code /duplex/api}. */
@ApplicationPath("api")
public class DuplexApi extends Application {
}
