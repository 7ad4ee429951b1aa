package org.duplex.reservation.replication;

import java.util.Random;

/**
 * The faults of a simulated schedule: a node crashes (its sessions end, its operations are lost) or
 * restarts (with the belief and highest state it had: remembered on disk), pauses or resumes (its
 * operation goes on with its old belief: a late message), a store goes down (its open sessions end, its
 * prepared branches stay) or comes back, the witness is copied, restored from that older copy, or seeded
 * from the other two. Lost messages are the stale beliefs themselves: a node learns the state only by
 * reading the stores.
 */
final class Faults {

    /** Which fault, by its case number: a node or store comes back three or four times as often as it fails. */
    private static final String WEIGHTS = "01111345556677";

    private Faults() {
    }

    static void inject(Simulation sim, Random random) {
        Simulation.Node n = sim.nodes.get(random.nextInt(sim.nodes.size()));
        SimStore s = sim.stores.get(Quorum.STORES.get(random.nextInt(Quorum.STORES.size())));
        SimStore w = sim.stores.get(Quorum.WITNESS);
        switch (WEIGHTS.charAt(random.nextInt(WEIGHTS.length())) - '0') {
            case 0 -> {
                if (n.status != Simulation.Status.CRASHED) {
                    n.status = Simulation.Status.CRASHED;
                    n.write = null;
                    n.detector = null;
                    sim.stores.values().forEach(st -> st.endSessions(n.name, false));
                    sim.log(n, () -> "CRASHES");
                }
            }
            case 1 -> {
                if (n.status != Simulation.Status.ALIVE) {
                    sim.log(n, () -> n.status == Simulation.Status.CRASHED ? "RESTARTS" : "RESUMES");
                    n.status = Simulation.Status.ALIVE;
                }
            }
            case 3 -> {
                if (n.status == Simulation.Status.ALIVE) {
                    n.status = Simulation.Status.PAUSED;
                    sim.log(n, () -> "PAUSES");
                }
            }
            case 4 -> {
                if (s.up) {
                    s.crash();
                    sim.log(null, () -> s.name + " DOWN");
                }
            }
            case 5 -> {
                if (!s.up) {
                    s.up = true;
                    sim.log(null, () -> s.name + " UP");
                }
            }
            case 6 -> {
                if (w.up && w.member) {
                    w.snapshot();
                    sim.log(null, () -> "db-w copied at " + w.row);
                }
            }
            case 7 -> restoreOrSeed(sim, w);
            default -> throw new IllegalStateException();
        }
    }

    private static void restoreOrSeed(Simulation sim, SimStore w) {
        SimStore a = sim.stores.get("db-a");
        SimStore b = sim.stores.get("db-b");
        if (!w.member && a.readable() && b.readable() && w.up) {
            w.seed(a.row.epoch() >= b.row.epoch() ? a.row : b.row);
            sim.log(null, () -> "db-w seeded from db-a and db-b: " + w.row);
        } else if (w.copy != null && w.up && w.member) {
            w.restore(!sim.options.undetectedRestores());
            sim.log(null, () -> "db-w RESTORED from its copy: " + w.row + (w.member ? " (undetected)" : " (not a member)"));
        }
    }
}
