package org.duplex.detector;

import org.duplex.reservation.replication.EpochState;

/**
 * One epoch store's state row and the primary's liveness tick there, as read at one moment.
 *
 * @param state     the {@code cluster_state} row
 * @param tickEpoch the epoch the last liveness tick was written under
 * @param tickNode  the node that wrote it
 * @param tick      the tick counter; only ever grows within an epoch
 */
public record StoreRead(EpochState state, long tickEpoch, String tickNode, long tick) {
}
