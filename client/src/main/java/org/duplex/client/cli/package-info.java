/**
 * The {@code duplex-client} command line: parses arguments, calls {@link org.duplex.client.DuplexClient}
 * and prints results as text or JSON with stable exit codes. It holds no failover logic of its own.
 */
package org.duplex.client.cli;
