package org.duplex.reservation.replication;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The randomized, seeded simulation of {@link Quorum}, {@link EpochState} and {@link InDoubtRule} under
 * crashes, pauses, stores down, a witness restored from an old copy and crashes between commits
 * (CONVENTIONS.md: FoundationDB's and TigerBeetle's habit). After every step it checks:
 * (a) no two nodes commit business writes at one epoch; (b) every acknowledged write is in every data
 * database the current state does not name lagging; (c) no business write prepared in a data database
 * the current state names lagging ever commits; (d) the stores never hold two rows at one epoch.
 *
 * <p>Replay one seed with {@code -Dduplex.sim.seed=N} (its whole trace is in the failure message);
 * {@code -Dduplex.sim.schedules} and {@code -Dduplex.sim.steps} change the run's size.
 */
class QuorumSimulationTest {

    private static final Logger LOG = Logger.getLogger(QuorumSimulationTest.class.getName());

    static Simulation run(long seed, int steps, Simulation.Options options) {
        Simulation sim = new Simulation(seed, options);
        try {
            sim.run(steps);
        } catch (AssertionError | RuntimeException first) {
            throw replayed(seed, steps, options);
        }
        return sim;
    }

    /** The same seed again with the trace on: the schedule is the same, so it fails at the same step. */
    static AssertionError replayed(long seed, int steps, Simulation.Options options) {
        Simulation sim = new Simulation(seed, options);
        sim.tracing = true;
        try {
            sim.run(steps);
            return new AssertionError("seed " + seed + " failed once and passed when replayed: the simulation is not deterministic");
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " (replay: -Dduplex.sim.seed=" + seed + "): " + (e instanceof AssertionError ? e.getMessage() : e.toString())
                    + "\nworld:" + sim.describe() + "\ntrace:\n" + String.join("\n", sim.trace), e);
        }
    }

    @Test
    void randomSchedulesKeepEveryInvariant() {
        int steps = Integer.getInteger("duplex.sim.steps", 200);
        String one = System.getProperty("duplex.sim.seed");
        long first = one == null || one.isBlank() ? 0 : Long.parseLong(one);
        long count = one == null || one.isBlank() ? Integer.getInteger("duplex.sim.schedules", 2000) : 1;
        long acknowledged = 0;
        long late = 0;
        long changes = 0;
        long started = System.nanoTime();
        for (long seed = first; seed < first + count; seed++) {
            Simulation sim = run(seed, steps, Simulation.Options.DESIGN);
            acknowledged += sim.acknowledged.size();
            late += sim.lateCommitsIntoLagging;
            changes += sim.changes;
        }
        assertTrue(count < 100 || acknowledged * 2 > count, "the schedules acknowledge writes at all: " + acknowledged);
        long ms = (System.nanoTime() - started) / 1_000_000;
        LOG.info(String.format("quorum simulation: %d schedules x %d steps, invariants checked after each of the %d steps; "
                + "%d writes acknowledged, %d changes of state done, %d prepared branches committed after their database was named lagging; %d ms",
                count, steps, count * steps, acknowledged, changes, late, ms));
    }

    /**
     * Finding: DESIGN.md's "each node remembers the highest state it has seen" does not by itself protect a
     * node that never saw the higher state. Seed 7510 with restores of the witness left undetected: node-a
     * commits epoch 2 (node-a, db-b lagging) in db-a, the witness is restored from a copy at epoch 1 before
     * that commit reaches it, db-a goes down, and node-b, which never saw epoch 2, reads epoch 1 in db-b and
     * db-w and writes its own epoch 2 (node-b, db-a lagging) there: two rows at one epoch, (d). One store
     * down plus one store rolled back is two faults among three stores; only "a store restored from a copy
     * is not a member until it is seeded" saves it, so that detection must not be left to the operator.
     * With detection (the design run) the same seed keeps every invariant.
     */
    @Test
    void aWitnessRestoredFromACopyWithoutDetectionDivergesSeed7510() {
        AssertionError e = assertThrows(AssertionError.class, () -> run(7510, 200, new Simulation.Options(true, false)));
        assertTrue(e.getMessage().contains("step 164: (d)"), e.getMessage());
        assertDoesNotThrow(() -> run(7510, 200, Simulation.Options.DESIGN));
    }

    /**
     * Finding: "no business write is ever committed into a database the current state names lagging"
     * cannot hold at commit time under two-phase commit. Seed 3189: node-a's write w1 prepares in db-a and
     * db-b and commits in db-a; the prepared branch no longer holds db-a's lock, so node-b's degrade locks
     * db-a and db-w exclusive and names db-b lagging (epoch 2); node-a, paused, resumes and commits its
     * db-b branch. The rows were written before db-b was named lagging, so what the design can promise is
     * that nothing prepared in a lagging database commits, and the catch-up must be idempotent for a row
     * that such a late commit already brought.
     */
    @Test
    void aPreparedBranchCommitsAfterItsDatabaseIsNamedLaggingSeed3189() {
        AssertionError e = assertThrows(AssertionError.class, () -> run(3189, 200, new Simulation.Options(false, true)));
        assertTrue(e.getMessage().contains("step 59: (c, strict) w1 commits into db-b"), e.getMessage());
        assertDoesNotThrow(() -> run(3189, 200, Simulation.Options.DESIGN));
    }
}
