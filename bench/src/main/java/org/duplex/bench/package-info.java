/**
 * {@code ./duplex bench}: drives a throw-away local cluster through load, failover, a hung primary,
 * switchovers and a database outage, and writes what it measured to {@code results.json}. It measures;
 * it never decides whether a number is good enough.
 */
package org.duplex.bench;
