package org.duplex.client.cli;

import org.duplex.client.ClientConfig;
import org.duplex.reservation.api.ClientIds;
import picocli.CommandLine.Option;

/** {@code --client C}: the client id a request acts for, by default one the configured user owns. */
final class ClientIdOption {

    @Option(names = "--client", paramLabel = "C",
            description = "the client id to act for (default: cli-USER, or USER:cli-USER for a user other than duplex-client)")
    String clientId;

    /** The id given, or {@code cli-USER} in the user's own namespace ({@link ClientIds#of}). */
    String resolve(ClientConfig config) {
        return clientId != null ? clientId : ClientIds.of(config.user(), "cli-" + config.user());
    }
}
