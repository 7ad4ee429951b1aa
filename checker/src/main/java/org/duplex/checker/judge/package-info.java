/**
 * The pure judgement of the checker: snapshots of the stores' rows and the clients' histories in,
 * checks and verdicts out. It must not do I/O: no JDBC, no files, no printing.
 */
package org.duplex.checker.judge;
