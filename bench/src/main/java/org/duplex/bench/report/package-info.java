/**
 * Turns the {@code results.json} written by the bench runner into {@code results.md} (markdown tables) and
 * PNG charts. It only reads and renders numbers the runner measured: it must not talk to a server or a
 * database, and must not invent a number for a section the run did not measure.
 */
package org.duplex.bench.report;
