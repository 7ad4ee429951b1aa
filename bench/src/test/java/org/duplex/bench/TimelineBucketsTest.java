package org.duplex.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The failover timeline of results.json: per 100 ms bucket after the start, the acknowledgements that
 * completed in it, their nearest-rank p50 latency (the lower middle one of an even count) and their
 * largest, both in microseconds; a bucket without any is {0, 0, 0}.
 */
class TimelineBucketsTest {

    private static final long START = 5_000_000_000L;

    private static Workload.Sample sample(long endMsAfterStart, long latencyMicros) {
        return new Workload.Sample(START + endMsAfterStart * 1_000_000L, latencyMicros * 1000L);
    }

    @Test
    void eachBucketCountsItsSuccessesWithTheirP50AndMax() {
        List<Workload.Sample> samples = List.of(
                // bucket 0: four latencies, the lower middle one is the p50
                sample(0, 9_000), sample(10, 12_345), sample(50, 3_210), sample(99, 20_001),
                // bucket 1: none; bucket 2: three, the middle one is the p50
                sample(250, 7_000), sample(201, 5_000), sample(299, 31_999),
                // bucket 3: one
                sample(300, 1_234));

        Map<Long, long[]> buckets = BenchRunner.buckets(samples, START);

        assertEquals(List.of(0L, 1L, 2L, 3L), List.copyOf(buckets.keySet()));
        assertArrayEquals(new long[] {4, 9_000, 20_001}, buckets.get(0L));
        assertArrayEquals(new long[] {0, 0, 0}, buckets.get(1L));
        assertArrayEquals(new long[] {3, 7_000, 31_999}, buckets.get(2L));
        assertArrayEquals(new long[] {1, 1_234, 1_234}, buckets.get(3L));
    }

    @Test
    void aLongLatencyKeepsItsMillisecondsToWithinATenthOfAPerMille() {
        List<Workload.Sample> samples = new ArrayList<>();
        samples.add(sample(10, 841_305));
        samples.add(sample(20, 858_411));
        samples.add(sample(30, 2_000));

        long[] bucket = BenchRunner.buckets(samples, START).get(0L);

        assertEquals(3, bucket[0]);
        assertWithin(841_305, bucket[1]);
        assertWithin(858_411, bucket[2]);
    }

    @Test
    void withoutSamplesTheTimelineIsOneEmptyBucket() {
        assertArrayEquals(new long[] {0, 0, 0}, BenchRunner.buckets(List.of(), START).get(0L));
    }

    /** At least the value and at most 0.01 % above it: what the timeline's histogram resolves. */
    private static void assertWithin(long expectedMicros, long actualMicros) {
        assertTrue(actualMicros >= expectedMicros && actualMicros <= expectedMicros + expectedMicros / 10_000,
                actualMicros + " µs is not " + expectedMicros + " µs to within 0.01 %");
    }
}
