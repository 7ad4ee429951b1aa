/**
 * The {@code duplex-checker} command line: {@code verify} (the invariants of the stores now), {@code check}
 * (whole histories against the stores after a run), {@code timeline}, and {@code migrate} (one store's schema, see
 * {@link org.duplex.checker.schema}). It reads, prints and writes reports; the judging lives in
 * {@link org.duplex.checker.judge}. Only {@code migrate} writes to a store, and only its schema.
 */
package org.duplex.checker;
