/**
 * Reading the epoch stores over JDBC, each call under connect, socket and statement deadlines, into
 * {@link org.duplex.checker.judge.StoreSnapshot}s. It must not write to any store or judge what it read.
 */
package org.duplex.checker.store;
