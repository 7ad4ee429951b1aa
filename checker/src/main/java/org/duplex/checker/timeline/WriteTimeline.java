package org.duplex.checker.timeline;

import java.util.ArrayList;
import java.util.List;

import org.duplex.client.history.HistoryRecord;
import org.duplex.client.history.HistoryRecord.Outcome;

/**
 * Availability as the clients saw it: acknowledged writes (reserve or cancel answered {@code ok}) per
 * second of wall clock, and the longest interval with none. The run spans from the first invocation
 * to the last completion of the history, so an outage at the start or the end counts too.
 *
 * @param runStartMs        wall clock of the first invocation
 * @param runEndMs          wall clock of the last completion
 * @param acknowledged      operations answered ok
 * @param refused           operations refused with a typed error (fail)
 * @param unknown           operations given up on (info)
 * @param perSecond         acknowledged writes completed in each second since {@code runStartMs}
 * @param longestOutageMs   the longest time without an acknowledged write
 * @param outageFromMs      where that outage starts, ms since {@code runStartMs}
 * @param faults            the fault intervals, as given
 */
public record WriteTimeline(long runStartMs, long runEndMs, long acknowledged, long refused, long unknown,
                            List<Long> perSecond, long longestOutageMs, long outageFromMs,
                            List<FaultInterval> faults) {

    public WriteTimeline {
        perSecond = List.copyOf(perSecond);
        faults = List.copyOf(faults);
    }

    /** Computes the timeline of a history (records in any order) beside its faults. */
    public static WriteTimeline of(List<HistoryRecord> history, List<FaultInterval> faults) {
        if (history.isEmpty()) {
            long start = faults.stream().mapToLong(FaultInterval::startMs).min().orElse(0);
            long end = faults.stream().mapToLong(f -> f.endOr(start)).max().orElse(start);
            return new WriteTimeline(start, end, 0, 0, 0, List.of(), end - start, 0, faults);
        }
        long start = history.stream().mapToLong(HistoryRecord::invokeWallMs).min().orElseThrow();
        long end = history.stream().mapToLong(HistoryRecord::completeWallMs).max().orElseThrow();
        long[] acks = history.stream().filter(r -> r.outcome() == Outcome.OK)
                .mapToLong(HistoryRecord::completeWallMs).sorted().toArray();
        long refused = history.stream().filter(r -> r.outcome() == Outcome.FAIL).count();
        long unknown = history.stream().filter(r -> r.outcome() == Outcome.INFO).count();

        int seconds = (int) ((end - start) / 1000) + 1;
        long[] buckets = new long[seconds];
        for (long t : acks) {
            buckets[(int) ((t - start) / 1000)]++;
        }
        List<Long> perSecond = new ArrayList<>(seconds);
        for (long b : buckets) {
            perSecond.add(b);
        }

        long previous = start;
        long longest = 0;
        long from = 0;
        for (int i = 0; i <= acks.length; i++) {
            long next = i < acks.length ? acks[i] : end;
            if (next - previous > longest) {
                longest = next - previous;
                from = previous - start;
            }
            previous = Math.max(previous, next);
        }
        return new WriteTimeline(start, end, acks.length, refused, unknown, perSecond, longest, from, faults);
    }
}
