package org.duplex.checker.judge;

/** One row of {@code resource} as a data database holds it. */
public record ResourceRow(String id, String name, long capacity, long reserved, long version) {
}
