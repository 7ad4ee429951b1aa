package org.duplex.bench.report;

import java.util.Collection;
import java.util.NoSuchElementException;

/**
 * Nearest-rank percentiles of a small sample (a handful of failover runs, a few hundred latencies): the
 * p-th percentile is the smallest value such that at least p% of the sample is less than or equal to it,
 * i.e. the value of rank {@code ceil(p / 100 * n)} in ascending order (rank 1 for p = 0).
 * <p>
 * Nearest-rank is chosen over interpolation because every reported value is one that was actually
 * measured: "outage p99 of 5 runs" is the worst run, not a number between two runs. The price is that
 * p50 of an even-sized sample is the lower middle value, not the mean of the two middle values.
 * <p>
 * Not an HdrHistogram like the request latencies ({@code org.duplex.client.LatencyStats}): a handful of
 * run results is kept exactly, fractions included, where a histogram would round them to its buckets.
 */
public final class Percentiles {

    private final double[] sorted;

    private Percentiles(double[] sorted) {
        this.sorted = sorted;
    }

    /** A sample of the given values; NaN values are rejected because they have no rank. */
    public static Percentiles of(Collection<? extends Number> values) {
        double[] sample = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        for (double v : sample) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("NaN has no rank in a sample");
            }
        }
        return new Percentiles(sample);
    }

    public int count() {
        return sorted.length;
    }

    public boolean isEmpty() {
        return sorted.length == 0;
    }

    /**
     * The nearest-rank {@code percentile} (0 to 100 inclusive) of the sample.
     *
     * @throws NoSuchElementException if the sample is empty: an empty sample has no percentile, and 0 would
     *         read as a measured zero-millisecond outage
     */
    public double percentile(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be within 0..100, was " + percentile);
        }
        if (sorted.length == 0) {
            throw new NoSuchElementException("no percentile of an empty sample");
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** The nearest-rank median: the lower middle value of an even-sized sample. */
    public double median() {
        return percentile(50);
    }

    public double max() {
        return percentile(100);
    }
}
