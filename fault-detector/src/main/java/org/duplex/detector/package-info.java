/**
 * The fault detector and replication manager: which node is primary, according to the databases,
 * and what the {@code reservation/primary} binding says. It never writes reservations.
 */
package org.duplex.detector;
