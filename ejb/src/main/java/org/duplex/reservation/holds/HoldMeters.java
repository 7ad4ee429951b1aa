package org.duplex.reservation.holds;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The holds' metrics, in the server's Micrometer registry (Prometheus text at {@code /metrics} on the
 * management port): {@code duplex_holds_total} by {@code event}: {@code placed} (acknowledged),
 * {@code confirmed}, {@code released}, {@code expired} (counted by the primary's sweeper when it finds a
 * hold gone at its expiry). Counted on the node that did it: sum both nodes for the cluster.
 */
@ApplicationScoped
public class HoldMeters {

    @Inject
    MeterRegistry registry;

    public void placed() {
        count("placed");
    }

    public void confirmed() {
        count("confirmed");
    }

    public void released() {
        count("released");
    }

    public void expired() {
        count("expired");
    }

    private void count(String event) {
        registry.counter("duplex.holds", "event", event).increment();
    }
}
