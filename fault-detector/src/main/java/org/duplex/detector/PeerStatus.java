package org.duplex.detector;

/**
 * The other node as this detector's last heartbeat probe found it. The labels are the heartbeat JSON's
 * {@code peer} field and stay as they are: scripts and the dashboard read them.
 */
enum PeerStatus {
    /** Before the first probe. */
    UNKNOWN("unknown"),
    /** It answered 200. */
    UP("up"),
    /** It refused the connection (twice, when it is the primary): the process is gone. */
    DOWN("down"),
    /** The primary did not answer within the timeout. */
    HUNG("hung"),
    /** The primary answered, but not 200. */
    UNHEALTHY("unhealthy"),
    /** The primary missed enough heartbeats, but its liveness tick still moves: it is alive and writing. */
    HUNG_STILL_WRITING("hung, still writing"),
    /** The same for a primary that answers "unhealthy". */
    UNHEALTHY_STILL_WRITING("unhealthy, still writing");

    private final String label;

    PeerStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The "still writing" variant of {@link #HUNG} or {@link #UNHEALTHY}. */
    PeerStatus stillWriting() {
        return this == UNHEALTHY ? UNHEALTHY_STILL_WRITING : HUNG_STILL_WRITING;
    }
}
