package org.duplex.detector;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The randomized, seeded simulation of {@link Detector} (CONVENTIONS.md: FoundationDB's and TigerBeetle's
 * habit): two nodes running the real rules over three simulated epoch stores, with crashes, pauses, stores
 * down, late answers, lost heartbeats and reads, and coordinators crashing between two prepares or two
 * commits. {@link DetectorSimulation} says what each step does and what is checked after it.
 *
 * <p>Replay one seed with {@code -Dduplex.sim.seed=N} (its whole trace is in the failure message);
 * {@code -Dduplex.sim.schedules} and {@code -Dduplex.sim.steps} change the run's size.
 */
class DetectorSimulationTest {

    private static final Logger LOG = Logger.getLogger(DetectorSimulationTest.class.getName());
    /** Steps with every fault healed at the end of a schedule: 20 ms each on average, about 8 s simulated. */
    static final int QUIET_STEPS = 400;

    static DetectorSimulation run(long seed, int steps, DetectorSimulation.Options options) {
        DetectorSimulation sim = new DetectorSimulation(seed, options);
        try {
            sim.run(steps, QUIET_STEPS);
        } catch (AssertionError | RuntimeException first) {
            throw replayed(seed, steps, options);
        }
        return sim;
    }

    /** The same seed again with the trace on: the schedule is the same, so it fails at the same step. */
    static AssertionError replayed(long seed, int steps, DetectorSimulation.Options options) {
        DetectorSimulation sim = new DetectorSimulation(seed, options);
        sim.tracing = true;
        try {
            sim.run(steps, QUIET_STEPS);
            return new AssertionError("seed " + seed + " failed once and passed when replayed: the simulation is not deterministic");
        } catch (AssertionError | RuntimeException e) {
            return new AssertionError("seed " + seed + " (replay: -Dduplex.sim.seed=" + seed + "): "
                    + (e instanceof AssertionError ? e.getMessage() : e.toString())
                    + "\nworld: " + sim.describe() + "\ntrace:\n" + String.join("\n", sim.trace), e);
        }
    }

    @Test
    void randomSchedulesKeepEveryPropertyAndConverge() {
        int steps = Integer.getInteger("duplex.sim.steps", 300);
        String one = System.getProperty("duplex.sim.seed");
        long first = one == null || one.isBlank() ? 0 : Long.parseLong(one);
        long count = one == null || one.isBlank() ? Integer.getInteger("duplex.sim.schedules", 2000) : 1;
        long acknowledged = 0;
        long torn = 0;
        Map<String, Integer> changes = new TreeMap<>();
        long started = System.nanoTime();
        for (long seed = first; seed < first + count; seed++) {
            DetectorSimulation sim = run(seed, steps, DetectorSimulation.Options.CODE);
            acknowledged += sim.acknowledged.cardinality();
            torn += sim.torn;
            sim.changes.forEach((k, v) -> changes.merge(k, v, Integer::sum));
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        LOG.info(String.format("detector simulation: %d schedules x (%d steps with faults + %d healed), properties checked"
                + " after each of the %d steps; %d writes acknowledged, %d transactions torn by a crash, changes of state %s; %d ms",
                count, steps, QUIET_STEPS, count * (steps + QUIET_STEPS), acknowledged, torn, changes, ms));
        if (count >= 100) {
            // the schedules exercise every rule at all: a simulation where nothing fails over proves nothing
            for (String kind : new String[] {"failover", "failback", "switchover", "degraded", "resynced"}) {
                assertTrue(changes.getOrDefault(kind, 0) > 0, "no " + kind + " in " + count + " schedules: " + changes);
            }
            assertTrue(acknowledged > count, "writes acknowledged: " + acknowledged);
            assertTrue(torn > 0, "no transaction torn by a crash");
        }
    }

    /**
     * Finding: a takeover that names a data database lagging committed a lone prepared branch of a change of
     * state as it does a write's. Seed 1140 under that rule: node-a's degrade (epoch 1 to 2, locking db-a and
     * db-w while db-b is down) crashes after preparing db-a only; node-b's takeover, naming db-b lagging, commits
     * that branch, so epoch 2 is in db-a alone while db-b and db-w hold epoch 1. Each majority read through db-a
     * says epoch 2, whose write majority (db-a + db-w) never holds it: node-a's writes, ticks and catch-up are
     * refused for as long as that lasts, and after every fault is healed the cluster is still degraded (e). A
     * node that reads db-b and db-w (one restarted, remembering nothing higher) sees epoch 1 and may write its own
     * epoch 2 there: two rows at one epoch. No lone branch is now committed while a store is unread (a change
     * of state waits, as DESIGN.md says, and so does a write: see InDoubtResolution); with that the same seed
     * keeps every property and converges.
     */
    @Test
    void aTakeoverCommittingALoneBranchOfAChangeLeavesTheStateInOneStoreSeed1140() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> run(1140, 300, new DetectorSimulation.Options(true)));
        assertTrue(e.getMessage().contains("(e) still degraded with every store up"), e.getMessage());
        assertTrue(e.getMessage().contains("finisher commits t7(node-a, change at epoch 2) in [db-a]"), e.getMessage());
        assertDoesNotThrow(() -> run(1140, 300, DetectorSimulation.Options.CODE));
    }

    @Test
    void aSeedReplaysExactly() {
        DetectorSimulation once = new DetectorSimulation(42, DetectorSimulation.Options.CODE);
        once.tracing = true;
        once.run(400, QUIET_STEPS);
        DetectorSimulation again = new DetectorSimulation(42, DetectorSimulation.Options.CODE);
        again.tracing = true;
        again.run(400, QUIET_STEPS);
        assertEquals(once.trace, again.trace);
        assertTrue(once.trace.size() > 400);
    }
}
