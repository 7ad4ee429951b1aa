package org.duplex.client.cli;

import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.DuplexException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cancel}: cancels one reservation, exactly once per operation id. */
@Command(name = "cancel", description = "cancel a reservation of the client's; a resend of the operation is answered as a duplicate")
final class CancelCommand extends WriteCommand {

    @Option(names = "--reservation", required = true, paramLabel = "ID", description = "the reservation's id")
    String reservation;

    @Override
    void write(DuplexClient duplex, String clientId, String operationId) throws DuplexException {
        print("cancelled", duplex.cancel(clientId, operationId, reservation));
    }
}
