/**
 * WildFly's stock answer to a replicated write, kept apart from every Duplex module so that the
 * benchmark's side-by-side failover drill measures WildFly alone: {@code server} is the deployment,
 * {@code client} the load driver on WildFly's cluster-aware EJB client.
 */
package org.duplex.stock;
