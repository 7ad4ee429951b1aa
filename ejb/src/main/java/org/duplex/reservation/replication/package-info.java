/**
 * The replicated write path's infrastructure: the two databases as replicas written in one JTA
 * transaction, and the epoch fence checked inside it. It holds no business rule and never changes
 * the epoch (promotion belongs to the fault detector).
 */
package org.duplex.reservation.replication;
