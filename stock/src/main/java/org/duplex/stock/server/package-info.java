/**
 * The baselines' beans, {@code duplex-stock-ejb.jar}: plain stateless beans over the nodes' datasources, as a
 * WildFly user would write them. Deployed only by the benchmark, on its own cluster; nothing of Duplex calls them.
 */
package org.duplex.stock.server;
