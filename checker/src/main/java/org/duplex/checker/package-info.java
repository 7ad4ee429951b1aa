/**
 * The {@code duplex-checker} command line: {@code verify} (the invariants of the stores now) and
 * {@code check} (whole histories against the stores after a run). It reads, prints and writes reports;
 * the judging lives in {@link org.duplex.checker.judge} and it must not write to any store.
 */
package org.duplex.checker;
