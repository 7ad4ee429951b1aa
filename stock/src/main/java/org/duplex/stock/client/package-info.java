/**
 * The stock load driver, {@code duplex-stock-client.jar}: WildFly's own cluster-aware EJB client calling the stock
 * bean with no retry of its own, and the file it writes for the benchmark runner. Nothing of Duplex on its class path.
 */
package org.duplex.stock.client;
