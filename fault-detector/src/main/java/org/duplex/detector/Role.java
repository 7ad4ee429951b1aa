package org.duplex.detector;

import java.util.Locale;

/** What the current state makes this node: the one in charge, the one watching it, or not known yet. */
enum Role {
    /** No round has read a majority of the stores yet. */
    UNKNOWN,
    /** The current state names this node primary: it ticks, watches the backup and the databases. */
    PRIMARY,
    /** The current state names the other node: this one heartbeats it and takes over if it dies. */
    BACKUP;

    /** As the heartbeat JSON, the dashboard and {@code NodeState} spell it: {@code primary}, {@code backup}, {@code unknown}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
