/**
 * The baselines the benchmark sets Duplex against, kept apart from every Duplex module so that they measure
 * WildFly alone: WildFly's stock answer to a replicated write ({@link org.duplex.stock.StockReservations}, for the
 * side-by-side failover drill) and an unreplicated write to one database
 * ({@link org.duplex.stock.SingleDatabaseReservations}, for the throughput part). {@code server} holds the beans
 * (the deployment), {@code client} the stock load driver on WildFly's cluster-aware EJB client.
 */
package org.duplex.stock;
