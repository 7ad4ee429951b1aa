package org.duplex.client;

import java.util.Arrays;

/**
 * Completion times of successful requests (from {@link System#nanoTime()}), recorded from many
 * threads in any order, and the longest time during which no request succeeded: the largest gap
 * between consecutive successes once sorted. It measures what a client saw, not why.
 */
public final class OutageTracker {

    private long[] stamps = new long[1024];
    private int count;

    public synchronized void success(long completedAtNanos) {
        if (count == stamps.length) {
            stamps = Arrays.copyOf(stamps, stamps.length * 2);
        }
        stamps[count++] = completedAtNanos;
    }

    public synchronized int count() {
        return count;
    }

    /** The longest gap in ms between two consecutive successes; 0 with fewer than two. */
    public double maxGapMs() {
        long[] sorted = sorted();
        long max = 0;
        for (int i = 1; i < sorted.length; i++) {
            max = Math.max(max, sorted[i] - sorted[i - 1]);
        }
        return max / 1_000_000.0;
    }

    /**
     * The longest gap in ms within a measurement window, counting the start of the window and its
     * end as edges: a run in which nothing succeeded after some point (or at all) reports that time,
     * which {@link #maxGapMs()} alone would miss. Successes outside the window are ignored.
     */
    public double maxGapMs(long windowStartNanos, long windowEndNanos) {
        if (windowEndNanos < windowStartNanos) {
            throw new IllegalArgumentException("window ends before it starts");
        }
        long[] sorted = sorted();
        long previous = windowStartNanos;
        long max = 0;
        for (long stamp : sorted) {
            if (stamp < windowStartNanos || stamp > windowEndNanos) {
                continue;
            }
            max = Math.max(max, stamp - previous);
            previous = stamp;
        }
        max = Math.max(max, windowEndNanos - previous);
        return max / 1_000_000.0;
    }

    private synchronized long[] sorted() {
        long[] copy = Arrays.copyOf(stamps, count);
        Arrays.sort(copy);
        return copy;
    }
}
