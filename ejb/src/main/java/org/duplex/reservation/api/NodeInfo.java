package org.duplex.reservation.api;

import java.io.Serializable;

/** The answering node's name, its own database, and the cluster state that database holds. */
public final class NodeInfo implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String node;
    private final String ownDatabase;
    private final String primary;
    private final long epoch;

    public NodeInfo(String node, String ownDatabase, String primary, long epoch) {
        this.node = node;
        this.ownDatabase = ownDatabase;
        this.primary = primary;
        this.epoch = epoch;
    }

    public String node() {
        return node;
    }
    public String ownDatabase() {
        return ownDatabase;
    }
    public String primary() {
        return primary;
    }
    public long epoch() {
        return epoch;
    }

    @Override
    public String toString() {
        return "node=" + node + " ownDatabase=" + ownDatabase + " primary=" + primary + " epoch=" + epoch;
    }
}
