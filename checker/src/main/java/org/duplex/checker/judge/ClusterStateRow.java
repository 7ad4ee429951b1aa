package org.duplex.checker.judge;

/** The part of a store's {@code cluster_state} row that all three stores must agree on. */
public record ClusterStateRow(long epoch, String primaryNode, String mode, String lagging) {

    public boolean sync() {
        return "sync".equals(mode);
    }

    @Override
    public String toString() {
        return "epoch " + epoch + ", primary " + primaryNode + ", mode " + mode + ", lagging "
                + (lagging == null ? "-" : lagging);
    }
}
