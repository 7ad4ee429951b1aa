package org.duplex.reservation.replication;

/**
 * The fence telling this node's fault detector, at once, that the databases name another primary: a
 * write found this node demoted (a switchover or a promotion elsewhere) before the detector's next
 * round did. The detector then reconciles right away, so that its {@code reservation/primary} binding,
 * which clients re-read after a refusal, stops sending them back here a round later.
 */
public final class FencedSignal {

    private static final Runnable NOBODY = () -> { };
    private static volatile Runnable listener = NOBODY;

    private FencedSignal() {
    }

    /** The detector's hook; one per node. */
    public static void listen(Runnable onFenced) {
        listener = onFenced;
    }

    public static void clear() {
        listener = NOBODY;
    }

    static void fenced() {
        try {
            listener.run();
        } catch (RuntimeException e) {
            // only a hint: the detector's own round finds the same a little later
        }
    }
}
