package org.duplex.detector;

import java.util.List;
import org.duplex.reservation.api.PrimaryBinding;
import org.duplex.reservation.replication.EpochState;

/**
 * What {@link Detector} concludes from one round's observations: each one an effect for
 * {@link FaultDetector} to carry out, in the order given. Values only, no behaviour. A change of state
 * ({@link StateChange}) is a request: the stores re-check its precondition under the exclusive epoch
 * lock ({@code Quorum.checkChange}) and may refuse it, so a decision made on a stale observation is
 * harmless (DESIGN.md, "Every change of state").
 */
sealed interface Decision {

    /** A change of the cluster state: one XA transaction over the stores named, from {@code expected}. */
    sealed interface StateChange extends Decision {
        /** The state the decision was based on; the change is refused if the stores hold anything else. */
        EpochState expected();

        /** The stores that answered the round's read, in lock order: those the change locks. */
        List<String> stores();
    }

    /** The role the current state gives this node changed; {@code was} may be {@link Role#UNKNOWN}. */
    record RoleChange(Role was, Role now, EpochState state) implements Decision {
    }

    /** An event for the history ({@code cluster_event}) and the {@code duplex.cluster.events} counter. */
    record Announce(String kind, long epoch, String detail) implements Decision {
    }

    /** Make {@code reservation/primary} on this node say what the current state says. */
    record Rebind(PrimaryBinding binding) implements Decision {
    }

    /** Nothing to do but say why (a rebind that does not parse, a drained node not taking over). */
    record Wait(String why) implements Decision {
    }

    /** The primary's liveness tick: one fenced write to the write majority of {@code expected}. */
    record TickLiveness(EpochState expected) implements Decision {
    }

    /** Ask {@code node} to take control (HTTP switchover request): an admin's rebind, or a drained primary. */
    record HandOff(String node, String why) implements Decision {
    }

    /**
     * Before a takeover: end the old primary's sessions in {@code stores}, then finish the branches it
     * left prepared there by {@link InDoubtResolution}.
     */
    record FinishInDoubt(String deadNode, List<String> stores) implements Decision {
    }

    /** Failover: this node becomes primary at the next epoch, the mode unchanged. */
    record Promote(EpochState expected, List<String> stores, String why) implements StateChange {
    }

    /** Failover from sync mode with one data database out of reach: this node becomes primary, naming it lagging. */
    record TakeOverDegraded(EpochState expected, List<String> stores, String lagging, String why) implements StateChange {
    }

    /** Planned handover to this node: an admin asked ({@code switchover}) or failback auto ({@code failback}). */
    record SwitchOver(EpochState expected, List<String> stores, String kind, String why) implements StateChange {
    }

    /** The primary names the silent {@code lagging} database lagging and writes on with the other one and the witness. */
    record Degrade(EpochState expected, List<String> stores, String lagging, String why) implements StateChange {
    }

    /**
     * Delete the transaction markers older than {@code retentionSeconds} in every store, unless one of
     * them still holds a transaction prepared that long ago (see {@link Detector#MARKER_RETENTION_S}).
     */
    record PruneMarkers(List<String> stores, long retentionSeconds) implements Decision {
    }

    /** Count the journal in {@code source} for the heartbeat and the dashboard. */
    record CountJournal(String source) implements Decision {
    }

    /** Replay the journal from {@code source} into {@code lagging}, then back to sync mode when it is (nearly) empty. */
    record Resync(EpochState expected, List<String> stores, String lagging, String source) implements StateChange {
    }
}
