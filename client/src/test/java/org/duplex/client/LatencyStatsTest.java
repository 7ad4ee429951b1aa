package org.duplex.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void nearestRankPercentilesOfOneToHundred() {
        LatencyStats stats = new LatencyStats();
        for (int i = 100; i >= 1; i--) {
            stats.record(i);
        }
        assertEquals(100, stats.count());
        assertEquals(50, stats.p50());
        assertEquals(99, stats.p99());
        assertEquals(100, stats.max());
        assertEquals(1, stats.percentile(1));
        assertEquals(100, stats.percentile(100));
    }

    @Test
    void nearestRankRoundsTheRankUp() {
        LatencyStats stats = new LatencyStats();
        for (double v : new double[] {5, 1, 4, 2, 3}) {
            stats.record(v);
        }
        // rank = ceil(0.5 * 5) = 3 -> 3; ceil(0.99 * 5) = 5 -> 5; ceil(0.2 * 5) = 1 -> 1
        assertEquals(3, stats.p50());
        assertEquals(5, stats.p99());
        assertEquals(1, stats.percentile(20));
        assertEquals(2, stats.percentile(21));
    }

    @Test
    void tenValuesP99IsTheLargest() {
        LatencyStats stats = new LatencyStats();
        for (int i = 1; i <= 10; i++) {
            stats.record(i * 1.5);
        }
        assertEquals(15.0, stats.p99());
        assertEquals(7.5, stats.p50());
    }

    @Test
    void emptyReportsZero() {
        LatencyStats stats = new LatencyStats();
        assertEquals(0, stats.count());
        assertEquals(0, stats.p50());
        assertEquals(0, stats.p99());
        assertEquals(0, stats.max());
    }

    @Test
    void refusesNonsense() {
        LatencyStats stats = new LatencyStats();
        assertThrows(IllegalArgumentException.class, () -> stats.record(-1));
        assertThrows(IllegalArgumentException.class, () -> stats.record(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> stats.percentile(0));
        assertThrows(IllegalArgumentException.class, () -> stats.percentile(101));
    }

    @Test
    void nanosAreConvertedToMillis() {
        LatencyStats stats = new LatencyStats();
        stats.recordNanos(1_000_000L, 3_500_000L);
        assertEquals(2.5, stats.max());
    }

    @Test
    void recordsFromManyThreadsLoseNothing() throws InterruptedException {
        LatencyStats stats = new LatencyStats();
        int threads = 8;
        int each = 5_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 1; i <= each; i++) {
                    stats.record(i);
                }
            });
            all.add(thread);
            thread.start();
        }
        go.countDown();
        for (Thread thread : all) {
            thread.join();
        }
        assertEquals(threads * each, stats.count());
        assertEquals(each, stats.max());
        assertEquals(each / 2, stats.p50());
    }
}
