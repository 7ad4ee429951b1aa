package org.duplex.health;

/**
 * What the fault detector last knew about its node, published for the readiness check: the role
 * ({@code primary}, {@code backup} or {@code unknown}), the primary, the epoch, the replication mode and
 * the peer's state. One per deployment (this class lives in the ear's lib).
 */
public record NodeState(String node, String role, String primary, long epoch, String mode, String peer) {

    private static volatile NodeState current = new NodeState("?", "unknown", null, 0, null, "unknown");

    public static NodeState current() {
        return current;
    }

    public static void publish(NodeState state) {
        current = state;
    }
}
