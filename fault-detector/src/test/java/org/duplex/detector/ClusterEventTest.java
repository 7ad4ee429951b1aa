package org.duplex.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterEventTest {

    private static ClusterEvent event(String id, long second, String kind) {
        return new ClusterEvent(id, Instant.ofEpochSecond(second), "node-a", kind, 1, kind);
    }

    @Test
    void mergesBothDatabasesNewestFirstAndOnceEach() {
        ClusterEvent failover = event("e1", 10, "failover");
        List<ClusterEvent> dbA = List.of(event("e3", 30, "backup-down"), failover);
        List<ClusterEvent> dbB = List.of(event("e2", 20, "fenced"), failover);

        List<ClusterEvent> merged = ClusterEvent.merge(List.of(dbA, dbB), 10);

        assertEquals(List.of("e3", "e2", "e1"), merged.stream().map(ClusterEvent::id).toList());
    }

    @Test
    void keepsTheNewestUpToTheLimit() {
        List<ClusterEvent> merged = ClusterEvent.merge(List.of(List.of(event("a", 1, "x"), event("b", 2, "y")),
                List.of(event("c", 3, "z"))), 2);

        assertEquals(List.of("c", "b"), merged.stream().map(ClusterEvent::id).toList());
    }
}
