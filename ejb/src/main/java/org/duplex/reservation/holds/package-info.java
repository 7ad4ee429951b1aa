/**
 * Holds: units kept for a client for a while, in the replicated Infinispan cache {@code holds}, counted
 * against capacity with reservations, fenced by the epoch without an XA write (docs/holds.md). Pure rules
 * ({@code HoldRecord}, {@code HoldRules}) apart from the effects (the cache, the primary check, the gates);
 * it never writes a database row: a confirmed hold becomes a reservation through the bean's XA write path.
 */
package org.duplex.reservation.holds;
