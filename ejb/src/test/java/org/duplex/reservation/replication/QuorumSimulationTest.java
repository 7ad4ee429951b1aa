package org.duplex.reservation.replication;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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

    /** The first seed below {@code limit} whose schedule breaks an invariant, or -1. */
    static long firstFailing(int limit, int steps, Simulation.Options options) {
        for (long seed = 0; seed < limit; seed++) {
            try {
                run(seed, steps, options);
            } catch (AssertionError e) {
                return seed;
            }
        }
        return -1;
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
        assertTrue(acknowledged * 2 > count, "the schedules acknowledge writes at all: " + acknowledged);
        long ms = (System.nanoTime() - started) / 1_000_000;
        LOG.info(String.format("quorum simulation: %d schedules x %d steps, invariants checked after each of the %d steps; "
                + "%d writes acknowledged, %d changes of state done, %d prepared branches committed after their database was named lagging; %d ms",
                count, steps, count * steps, acknowledged, changes, late, ms));
    }
}
