package org.duplex.detector;

/** One heartbeat of a node's {@code /duplex/api/heartbeat}, within {@code timeoutMs}; never throws. */
@FunctionalInterface
interface PeerProbe {

    HeartbeatProbe.Result probe(String httpBase, long timeoutMs);
}
