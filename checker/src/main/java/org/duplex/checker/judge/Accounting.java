package org.duplex.checker.judge;

/**
 * One resource's books in one data store: what {@code reserved} says against the sum of the active
 * reservations' quantities and the capacity. Jepsen's bank checker in this domain: the total may
 * move, but it must always equal the sum of its parts and never pass the limit.
 */
public record Accounting(String store, String resourceId, long capacity, long reserved, long activeSum) {

    /** reserved = sum of active reservations <= capacity. */
    public boolean balanced() {
        return reserved == activeSum && reserved <= capacity;
    }

    /** More reserved, by either count, than there is. */
    public boolean oversold() {
        return reserved > capacity || activeSum > capacity;
    }

    /** Less reserved than the active reservations hold: a release applied more than once. */
    public boolean overReleased() {
        return reserved < activeSum;
    }

    @Override
    public String toString() {
        return store + " " + resourceId + ": reserved " + reserved + ", active reservations sum " + activeSum
                + ", capacity " + capacity;
    }
}
