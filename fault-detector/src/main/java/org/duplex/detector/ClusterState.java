package org.duplex.detector;

import java.io.Serializable;

/** The {@code cluster_state} row as one database holds it: the epoch and the node it names primary. */
public record ClusterState(long epoch, String primary) implements Serializable {
}
