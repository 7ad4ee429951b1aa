package org.duplex.bench.report;

/**
 * A chart the report wrote: its file name in the output directory and a one-line caption for the list at
 * the end of {@code results.md}.
 */
record ChartFile(String name, String caption) {
}
