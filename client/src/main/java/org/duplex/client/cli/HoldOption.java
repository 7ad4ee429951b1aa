package org.duplex.client.cli;

import picocli.CommandLine.Option;

/** {@code --hold ID}: the hold a confirm or a release acts on. */
final class HoldOption {

    @Option(names = "--hold", required = true, paramLabel = "ID", description = "the hold's id (as hold printed it)")
    String id;
}
