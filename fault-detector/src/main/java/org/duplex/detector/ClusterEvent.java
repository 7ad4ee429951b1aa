package org.duplex.detector;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code cluster_event}: what happened to the cluster, when, on which node, at which epoch.
 *
 * <p>Kinds: {@code failover}, {@code failback}, {@code switchover} (a change of primary, written in both
 * databases with one id), {@code degraded}, {@code resynced} (a change of replication mode),
 * {@code fenced} (a primary found it had lost the role), {@code primary-down} / {@code primary-up} (the
 * backup's view of the primary), {@code backup-down} / {@code backup-up} (the primary's view of the
 * backup), {@code node-up} / {@code node-down} (a node's detector started or stopped in order),
 * {@code identity-locked} (the node's brute-force mitigation locked an application user out, see
 * {@link LoginWatch}).
 */
public record ClusterEvent(String id, Instant at, String node, String kind, long epoch, String detail)
        implements Serializable {

    /** Newest first; ties broken by id so that two reads of the same rows give the same order. */
    public static final Comparator<ClusterEvent> NEWEST_FIRST =
            Comparator.comparing(ClusterEvent::at).reversed().thenComparing(ClusterEvent::id);

    /**
     * The events of several databases as one list, newest first, at most {@code limit}: an event written
     * in both databases (same id) appears once.
     */
    public static List<ClusterEvent> merge(List<List<ClusterEvent>> perDatabase, int limit) {
        Map<String, ClusterEvent> byId = new LinkedHashMap<>();
        for (List<ClusterEvent> events : perDatabase) {
            for (ClusterEvent e : events) {
                byId.putIfAbsent(e.id(), e);
            }
        }
        List<ClusterEvent> merged = new ArrayList<>(byId.values());
        merged.sort(NEWEST_FIRST);
        return merged.size() > limit ? List.copyOf(merged.subList(0, limit)) : List.copyOf(merged);
    }
}
