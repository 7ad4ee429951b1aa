package org.duplex.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * Latencies below 32.768 ms are kept to the microsecond, so most cases here assert exact figures; the
 * precision above that has a test of its own.
 */
class LatencyStatsTest {

    private static void record(LatencyStats stats, double millis) {
        stats.recordNanos(0, Math.round(millis * 1_000_000));
    }

    @Test
    void nearestRankPercentilesOfOneToHundred() {
        LatencyStats stats = new LatencyStats();
        for (int i = 100; i >= 1; i--) {
            record(stats, i / 10.0);
        }
        assertEquals(100, stats.count());
        assertEquals(5.0, stats.p50());
        assertEquals(9.9, stats.p99());
        assertEquals(10.0, stats.max());
        assertEquals(0.1, stats.percentile(1));
        assertEquals(10.0, stats.percentile(100));
    }

    @Test
    void nearestRankRoundsTheRankUp() {
        LatencyStats stats = new LatencyStats();
        for (double v : new double[] {5, 1, 4, 2, 3}) {
            record(stats, v);
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
            record(stats, i * 1.5);
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
        assertThrows(IllegalArgumentException.class, () -> stats.recordNanos(1_000_001, 1_000_000));
        assertThrows(IllegalArgumentException.class, () -> stats.percentile(0));
        assertThrows(IllegalArgumentException.class, () -> stats.percentile(101));
        assertThrows(IllegalArgumentException.class, () -> stats.percentile(Double.NaN));
        assertEquals(0, stats.count());
    }

    @Test
    void nanosAreConvertedToMillis() {
        LatencyStats stats = new LatencyStats();
        stats.recordNanos(1_000_000L, 3_500_000L);
        assertEquals(2.5, stats.max());
    }

    @Test
    void nanosAreRoundedToTheNearestMicrosecond() {
        assertEquals(1, LatencyStats.micros(1_499));
        assertEquals(2, LatencyStats.micros(1_500));
        assertEquals(0, LatencyStats.micros(499));
        LatencyStats stats = new LatencyStats();
        stats.recordNanos(0, 12_345_678);
        assertEquals(12.346, stats.max());
    }

    @Test
    void longLatenciesAreReportedAtMostATenthOfAPerMilleHigh() {
        LatencyStats stats = new LatencyStats();
        record(stats, 56.469);
        record(stats, 858.411);
        record(stats, 30_000.123);
        assertWithin(56.469, stats.percentile(30));
        assertWithin(858.411, stats.p50());
        assertWithin(30_000.123, stats.p99());
        assertWithin(30_000.123, stats.max());
    }

    @Test
    void recordsFromManyThreadsLoseNothing() throws InterruptedException {
        LatencyStats stats = new LatencyStats();
        recordFrom(8, 5_000, 5_000L, stats);
        assertEquals(8 * 5_000, stats.count());
        // 1..5000 times 5 µs, eight times over: the 20000th of 40000 values is 2500 x 5 µs
        assertEquals(25.0, stats.max());
        assertEquals(12.5, stats.p50());
    }

    @Test
    void readingWhileThreadsRecordLosesNothing() throws InterruptedException {
        LatencyStats stats = new LatencyStats();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> wrong = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            long last = 0;
            while (!done.get()) {
                long now = stats.count();
                if (now < last) {
                    wrong.set("the count went back from " + last + " to " + now);
                }
                last = now;
            }
        });
        reader.start();
        recordFrom(4, 20_000, 1_000L, stats);
        done.set(true);
        reader.join();
        assertNull(wrong.get());
        assertEquals(4 * 20_000, stats.count());
        assertEquals(20.0, stats.max());
    }

    /** {@code threads} threads, started together, each record 1..{@code each} times {@code stepNanos}; then joined. */
    private static void recordFrom(int threads, int each, long stepNanos, LatencyStats stats)
            throws InterruptedException {
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
                    stats.recordNanos(0, i * stepNanos);
                }
            });
            all.add(thread);
            thread.start();
        }
        go.countDown();
        for (Thread thread : all) {
            thread.join();
        }
    }

    /** At least the value and less than 0.01 % above it (1 part in 16384 at worst). */
    private static void assertWithin(double expectedMs, double actualMs) {
        assertTrue(actualMs >= expectedMs && actualMs < expectedMs * 1.0001,
                actualMs + " ms is not " + expectedMs + " ms to within 0.01 %");
    }
}
