package org.duplex.web;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Ends the open event streams as soon as the web context stops, before the beans they read from do:
 * a server-sent-events request that stays open would otherwise hold the undeploy up.
 */
@WebListener
public class EventStreamShutdown implements ServletContextListener {

    @Inject
    private ClusterStream stream;

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        stream.close();
    }
}
