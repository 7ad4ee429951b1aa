package org.duplex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The load's counting over any request, as the single-database baseline drives it: no server needed. */
class WorkloadTest {

    @Test
    void countsAcknowledgementsAndErrorsAndGoesOnAfterAFailure() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        Workload.Request everyThirdFails = (clientId, operationId, resource) -> {
            int n = sent.incrementAndGet();
            if (n % 3 == 0) {
                throw new IllegalStateException("refused " + n);
            }
            return new Workload.Ack(clientId + "/" + operationId + "/" + resource, n % 3 == 2);
        };
        Workload w = new Workload(everyThirdFails, List.of("r1"), 2);
        BenchCluster.await(java.time.Duration.ofSeconds(10), "30 requests", () -> sent.get() >= 30);
        w.close();
        int total = sent.get();
        assertEquals(total, w.acknowledged() + w.errors(), "every request is an acknowledgement or an error");
        assertEquals(total / 3, w.errors());
        assertTrue(w.duplicates() > 0 && w.duplicates() < w.acknowledged());
        assertEquals(w.acknowledged(), w.latency().count());
        assertEquals(w.acknowledged(), w.samples().size());
        assertEquals(2, w.clientIds().size());
    }
}
