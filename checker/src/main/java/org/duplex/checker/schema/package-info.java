/**
 * The stores' schema: Flyway applies the versioned migrations of {@code ejb/src/main/db} (the data databases) or
 * {@code ejb/src/main/db/witness} (the witness) to one store. It reads and writes nothing else.
 */
package org.duplex.checker.schema;
