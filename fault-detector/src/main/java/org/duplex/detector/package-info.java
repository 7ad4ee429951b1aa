/**
 * The fault detector and replication manager: which node is primary, according to the databases,
 * and what the {@code reservation/primary} binding says. {@link org.duplex.detector.Detector} decides,
 * with no I/O; {@link org.duplex.detector.FaultDetector} observes and carries its decisions out through
 * small interfaces. It never writes reservations.
 */
package org.duplex.detector;
