package org.duplex.client;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of requests recorded from many threads at once, summarised in milliseconds by nearest-rank
 * percentiles (the p-th percentile is the smallest recorded value such that at least p % of the values are
 * less than or equal to it). An empty set of values reports 0 for every statistic.
 *
 * <p>The values go into an HdrHistogram {@link Recorder} in whole microseconds with
 * {@value #SIGNIFICANT_DIGITS} significant digits: recording is wait-free for the load threads and the memory
 * stays bounded whatever the number of requests (some 8 MB with latencies up to a minute). A latency is kept to the nearest microsecond
 * below 32.768 ms; above that, every statistic is reported less than 0.01 % higher than measured, never lower.
 *
 * <p>There is no coordinated-omission correction ({@code recordValueWithExpectedInterval}): the loadgen and
 * the benchmark are closed loops, each thread sending its next request when the previous one is answered, with
 * no target rate and so no expected interval between requests. The percentiles describe the requests that were
 * sent; a stall shows as one long latency here and as the longest gap of {@link OutageTracker}.
 */
public final class LatencyStats {

    /** The precision of every latency histogram of the loadgen and the benchmark: 1 part in 16384 at worst. */
    public static final int SIGNIFICANT_DIGITS = 4;

    private final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS);
    /** Everything drained from the recorder so far, in µs. */
    private final Histogram recorded = new Histogram(SIGNIFICANT_DIGITS);
    /** The recorder's previous interval histogram, handed back to it for reuse. */
    private Histogram interval;

    /**
     * Records the latency from {@code startNanos} to {@code endNanos} (both from {@link System#nanoTime()}),
     * from any thread, without waiting.
     *
     * @throws IllegalArgumentException if {@code endNanos} is before {@code startNanos}
     */
    public void recordNanos(long startNanos, long endNanos) {
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("latency must not be negative: " + (endNanos - startNanos) + " ns");
        }
        recorder.recordValue(micros(endNanos - startNanos));
    }

    /** The whole microseconds a latency of {@code nanos} is recorded as: rounded to the nearest. */
    public static long micros(long nanos) {
        return Math.round(nanos / 1000.0);
    }

    /** How many latencies were recorded. */
    public synchronized long count() {
        return drain().getTotalCount();
    }

    /**
     * The nearest-rank {@code p}-th percentile in ms, {@code 0 < p <= 100}; 0 when nothing was recorded.
     *
     * @throws IllegalArgumentException if {@code p} is outside (0, 100]
     */
    public synchronized double percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        return drain().getValueAtPercentile(p) / 1000.0;
    }

    /** The median latency in ms (the lower middle one of an even count); 0 when nothing was recorded. */
    public double p50() {
        return percentile(50);
    }

    /** The 99th percentile latency in ms; 0 when nothing was recorded. */
    public double p99() {
        return percentile(99);
    }

    /** The largest latency in ms; 0 when nothing was recorded. */
    public synchronized double max() {
        return drain().getMaxValue() / 1000.0;
    }

    /** Moves what the threads recorded since the last call into {@link #recorded}, and returns that. */
    private Histogram drain() {
        interval = recorder.getIntervalHistogram(interval);
        recorded.add(interval);
        return recorded;
    }
}
