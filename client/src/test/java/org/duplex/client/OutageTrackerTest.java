package org.duplex.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class OutageTrackerTest {

    private static final long MS = 1_000_000L;

    @Test
    void longestGapBetweenConsecutiveSuccesses() {
        OutageTracker tracker = new OutageTracker();
        for (long ms : new long[] {0, 10, 20, 77, 80}) {
            tracker.success(ms * MS);
        }
        assertEquals(57.0, tracker.maxGapMs());
    }

    @Test
    void orderOfRecordingDoesNotMatter() {
        OutageTracker tracker = new OutageTracker();
        for (long ms : new long[] {80, 0, 77, 20, 10}) {
            tracker.success(1_000 * MS + ms * MS);
        }
        assertEquals(57.0, tracker.maxGapMs());
    }

    @Test
    void fewerThanTwoSuccessesHaveNoGap() {
        OutageTracker tracker = new OutageTracker();
        assertEquals(0.0, tracker.maxGapMs());
        tracker.success(5 * MS);
        assertEquals(0.0, tracker.maxGapMs());
    }

    @Test
    void windowCountsTheTimeBeforeTheFirstAndAfterTheLastSuccess() {
        OutageTracker tracker = new OutageTracker();
        tracker.success(10 * MS);
        tracker.success(20 * MS);
        assertEquals(10.0, tracker.maxGapMs());
        assertEquals(80.0, tracker.maxGapMs(0, 100 * MS));
        assertEquals(30.0, tracker.maxGapMs(-20 * MS, 25 * MS));
        // nothing succeeded at all: the whole window was an outage
        assertEquals(100.0, new OutageTracker().maxGapMs(0, 100 * MS));
        assertThrows(IllegalArgumentException.class, () -> tracker.maxGapMs(10, 5));
    }

    @Test
    void windowIgnoresSuccessesOutsideIt() {
        OutageTracker tracker = new OutageTracker();
        tracker.success(-500 * MS);
        tracker.success(40 * MS);
        tracker.success(60 * MS);
        tracker.success(900 * MS);
        assertEquals(40.0, tracker.maxGapMs(0, 100 * MS));
    }

    @Test
    void concurrentThreadsInterleaveIntoOneTimeline() throws InterruptedException {
        OutageTracker tracker = new OutageTracker();
        int threads = 4;
        int each = 2_500;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                // thread t completes at t, t+4, t+8 ... ms: together, one success every ms
                for (int i = 0; i < each; i++) {
                    long ms = (long) i * threads + offset;
                    if (ms >= 5_000 && ms < 5_250) {
                        continue; // a 250 ms outage seen by every thread
                    }
                    tracker.success(ms * MS);
                }
            });
            all.add(thread);
            thread.start();
        }
        go.countDown();
        for (Thread thread : all) {
            thread.join();
        }
        assertEquals(threads * each - 250, tracker.count());
        assertEquals(251.0, tracker.maxGapMs());
    }
}
