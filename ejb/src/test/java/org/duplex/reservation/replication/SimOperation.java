package org.duplex.reservation.replication;

/** An operation in flight on a simulated node: {@link #step()} does one action and says whether it is over. */
abstract class SimOperation {

    final Simulation sim;
    final Simulation.Node node;
    /** its transaction id: the holder of its locks and the name of its branches */
    final int tx;

    SimOperation(Simulation sim, Simulation.Node node) {
        this.sim = sim;
        this.node = node;
        this.tx = sim.nextTx++;
    }

    abstract boolean step();

    /** The end of its sessions: the locks its open transactions hold go (prepared branches keep theirs). */
    void release() {
        for (SimStore s : sim.stores.values()) {
            s.open.remove(tx);
        }
    }

    void log(java.util.function.Supplier<String> what) {
        sim.log(node, () -> "t" + tx + " " + what.get());
    }
}
