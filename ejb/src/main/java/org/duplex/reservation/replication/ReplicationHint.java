package org.duplex.reservation.replication;

/**
 * Which database this node last saw lagging (degraded mode), so that a write does not even try to
 * reach it: inside a JTA transaction a failed connection dooms the transaction. Only a hint: the
 * fence reads the real mode from the databases and refuses a write made on a stale hint.
 * Kept up to date by the fault detector every round and by the fence when it finds the mode changed.
 */
public final class ReplicationHint {

    private static volatile String lagging;

    private ReplicationHint() {
    }

    /** The lagging database, or null in sync mode. */
    public static String lagging() {
        return lagging;
    }

    public static void lagging(String database) {
        lagging = database;
    }
}
