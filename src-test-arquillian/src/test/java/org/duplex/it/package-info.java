/**
 * Integration tests against two real WildFly nodes and two real PostgreSQL servers; faults are
 * injected for real (processes stopped, rows planted), never mocked.
 */
package org.duplex.it;
