package org.duplex.client.cli;

import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.DuplexException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code confirm}: turns a live hold into a reservation, exactly once per operation id. */
@Command(name = "confirm", description = "turn a live hold of the client's into a reservation (same id); "
        + "a resend of the operation is answered as a duplicate")
final class ConfirmCommand extends WriteCommand {

    @Mixin
    HoldOption hold;

    @Override
    void write(DuplexClient duplex, String clientId, String operationId) throws DuplexException {
        print("confirmed", duplex.confirm(clientId, operationId, hold.id));
    }
}
