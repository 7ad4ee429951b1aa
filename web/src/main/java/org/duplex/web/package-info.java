/**
 * The HTTP face of Duplex under {@code /duplex/api}: it adapts the reservation service to JSON and
 * holds no business rule of its own.
 */
package org.duplex.web;
