package org.duplex.checker.timeline;

/**
 * One fault the nemesis injected, as {@code ./duplex nemesis} writes it (one JSON object per line of
 * {@code faults-<scenario>.jsonl}): what it was and when it was on, in wall-clock ms since the epoch.
 *
 * @param scenario the scenario that injected it
 * @param kind     its family, for the legend: partition, kill, pause, slow
 * @param fault    what exactly, e.g. {@code partition node-a,db-a | node-b,db-b,db-w}
 * @param startMs  when it was applied
 * @param endMs    when it was healed; null if the run stopped before (the chart shades to the end)
 */
public record FaultInterval(String scenario, String kind, String fault, long startMs, Long endMs) {

    /** The end, or {@code runEndMs} for a fault never healed. */
    public long endOr(long runEndMs) {
        return endMs == null ? Math.max(startMs, runEndMs) : endMs;
    }
}
