package org.duplex.detector;

import java.io.Serializable;
import java.util.List;

/**
 * The {@code cluster_state} row as one database holds it: the epoch, the node it names primary, the
 * replication mode ({@code sync} or {@code degraded}) and, when degraded, the lagging database.
 */
public record ClusterState(long epoch, String primary, String mode, String lagging) implements Serializable {

    public boolean degraded() {
        return "degraded".equals(mode);
    }

    /** The databases a write, or a change of this row, goes to: both in sync mode, the up-to-date one when degraded. */
    public List<String> writable() {
        return ClusterStateStore.DATABASES.stream().filter(db -> !db.equals(lagging)).toList();
    }
}
