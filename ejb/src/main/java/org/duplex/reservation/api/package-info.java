/**
 * What remote clients compile against: the {@link org.duplex.reservation.api.ReservationService}
 * business interface, the serializable results it returns and the typed exceptions it throws.
 * Nothing here touches a database or the server; it ships to clients as the {@code ejb-client} jar.
 */
package org.duplex.reservation.api;
