/**
 * The {@code duplex-client} command line: picocli commands (one class each, {@link org.duplex.client.cli.DuplexCli}
 * the top) that call {@link org.duplex.client.DuplexClient} and print results as text or JSON with stable exit codes.
 * It holds no failover logic of its own.
 */
package org.duplex.client.cli;
