package org.duplex.detector;

import java.sql.SQLException;
import java.util.function.LongConsumer;
import org.duplex.reservation.replication.EpochState;

/**
 * Carries out {@link Decision.Resync}: replays the journal into the lagging database in fenced batches
 * while writes go on, then, once at most {@value #LAST_BATCH} entries are left, the last ones under the
 * exclusive epoch lock with the switch back to sync mode (DESIGN.md, "One database down").
 */
final class CatchUp {

    /** Entries per fenced replay transaction, and what may be left for the final, exclusive step. */
    static final int LAST_BATCH = 500;
    /** A round replays at most this many, then lets the detector look around again. */
    static final long MOST_PER_ROUND = 50_000;

    private final EpochStores stores;

    CatchUp(EpochStores stores) {
        this.stores = stores;
    }

    /** What a finished catch-up did: the new state, the entries replayed before the last step, and how long it took. */
    record Done(EpochState state, long replayed, long ms) {
        String describe(String lagging) {
            FaultDetector.CatchUpFigures f = figures(lagging);
            return f.entries() + " journal entries replayed into " + lagging + " in " + f.ms() + " ms ("
                    + f.entriesPerSec() + " entries/s)";
        }

        FaultDetector.CatchUpFigures figures(String lagging) {
            long elapsed = Math.max(1, ms);
            return new FaultDetector.CatchUpFigures(lagging, replayed, elapsed, replayed * 1000 / elapsed);
        }
    }

    /**
     * @param depth told every count of the source's journal (for the heartbeat), -1 while counting
     * @return the new (sync) state, or null when more than {@value #LAST_BATCH} entries are still left
     *         after this round's share: the next round goes on
     * @throws StaleEpochException this node is no longer the primary of {@code d.expected()}, or the stores moved
     * @throws SQLException        a store failed; what was replayed stays replayed (upserts, idempotent)
     */
    Done run(Decision.Resync d, String node, LongConsumer depth) throws SQLException, StaleEpochException {
        long t0 = System.nanoTime();
        long replayed = 0;
        int batch;
        do {
            batch = stores.replayBatch(d.expected(), node, LAST_BATCH);
            replayed += batch;
        } while (batch > 0 && replayed < MOST_PER_ROUND && count(d.source(), depth) > LAST_BATCH);
        if (count(d.source(), depth) > LAST_BATCH) {
            return null;
        }
        EpochState next = stores.resync(d.expected(), node, d.stores(), FaultDetector.CAS_LOCK_TIMEOUT_MS);
        return new Done(next, replayed, (System.nanoTime() - t0) / 1_000_000);
    }

    private long count(String source, LongConsumer depth) throws SQLException {
        depth.accept(-1);
        long n = stores.journalDepth(source);
        depth.accept(n);
        return n;
    }

}
