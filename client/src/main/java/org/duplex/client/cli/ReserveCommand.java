package org.duplex.client.cli;

import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.DuplexException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reserve}: one reservation, exactly once per operation id. */
@Command(name = "reserve", description = "reserve QUANTITY units of a resource; a resend of the operation is answered as a duplicate")
final class ReserveCommand extends WriteCommand {

    @Option(names = "--resource", required = true, paramLabel = "R", description = "the resource's id")
    String resource;

    @Option(names = "--quantity", required = true, paramLabel = "N", converter = WholeNumber.AnyInt.class,
            description = "units to reserve (the service refuses less than 1 or more than its maximum)")
    long quantity;

    @Override
    void write(DuplexClient duplex, String clientId, String operationId) throws DuplexException {
        print("reserved", duplex.reserve(clientId, operationId, resource, (int) quantity));
    }
}
