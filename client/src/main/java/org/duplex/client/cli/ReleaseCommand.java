package org.duplex.client.cli;

import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.DuplexException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code release}: gives a live hold back, exactly once per operation id. */
@Command(name = "release", description = "give a live hold of the client's back; a resend of the operation is answered as a duplicate")
final class ReleaseCommand extends WriteCommand {

    @Mixin
    HoldOption hold;

    @Override
    void write(DuplexClient duplex, String clientId, String operationId) throws DuplexException {
        print("released", duplex.release(clientId, operationId, hold.id));
    }
}
