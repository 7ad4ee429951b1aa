/**
 * The operation history of a client run, one JSON Lines record per operation, as a Jepsen-style
 * checker reads it afterwards. Written by the load generator and read by the checker through the same
 * records; it must not call the service or judge anything.
 */
package org.duplex.client.history;
