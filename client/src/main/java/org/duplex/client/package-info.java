/**
 * The failover-aware remote client of the reservation service: finds the primary through the
 * {@code reservation/primary} JNDI binding, calls it over remote EJB and resends a failed request
 * (same operation id) until a deadline; plus the latency and outage statistics that loadgen reports.
 * It must not decide anything the server decides (who is primary, whether a request is a duplicate).
 */
package org.duplex.client;
