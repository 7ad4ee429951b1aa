/**
 * The reservation service bean and the entities it writes ({@code resource}, {@code reservation},
 * {@code cluster_state}). Business rules live here and nowhere else; it never decides who is
 * primary, it only checks, inside each write, what the databases say.
 */
package org.duplex.reservation;
