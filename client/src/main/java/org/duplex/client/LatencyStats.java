package org.duplex.client;

import java.util.Arrays;

/**
 * Latencies in milliseconds recorded from many threads, summarised by nearest-rank percentiles
 * (the p-th percentile is the smallest recorded value such that at least p % of the values are
 * less than or equal to it). Keeps every value: fine for a bounded load run, not for a server.
 * An empty set of values reports 0 for every statistic.
 */
public final class LatencyStats {

    private double[] values = new double[1024];
    private int count;

    public synchronized void record(double millis) {
        if (Double.isNaN(millis) || millis < 0) {
            throw new IllegalArgumentException("latency must be a non-negative number of ms: " + millis);
        }
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = millis;
    }

    /** Records the time from {@code startNanos} to {@code endNanos} (both from {@link System#nanoTime()}). */
    public void recordNanos(long startNanos, long endNanos) {
        record((endNanos - startNanos) / 1_000_000.0);
    }

    public synchronized int count() {
        return count;
    }

    /** Nearest-rank percentile, {@code 0 < p <= 100}. */
    public double percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        double[] sorted = sorted();
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length / 100.0);
        return sorted[Math.max(rank, 1) - 1];
    }

    public double p50() {
        return percentile(50);
    }

    public double p99() {
        return percentile(99);
    }

    public synchronized double max() {
        double max = 0;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, values[i]);
        }
        return max;
    }

    private synchronized double[] sorted() {
        double[] copy = Arrays.copyOf(values, count);
        Arrays.sort(copy);
        return copy;
    }
}
