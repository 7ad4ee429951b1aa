package org.duplex.client.cli;

import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.ReservationService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hold}: keeps units of a resource for a while, exactly once per operation id. */
@Command(name = "hold", description = "hold QUANTITY units of a resource for SECONDS (default 600, at most 3600); "
        + "a resend of the operation is answered with the same hold")
final class HoldCommand extends WriteCommand {

    @Option(names = "--resource", required = true, paramLabel = "R", description = "the resource's id")
    String resource;

    @Option(names = "--quantity", required = true, paramLabel = "N", converter = WholeNumber.AnyInt.class,
            description = "units to hold (the service refuses less than 1 or more than its maximum)")
    long quantity;

    @Option(names = "--seconds", paramLabel = "S", converter = WholeNumber.AnyInt.class,
            description = "how long the hold lasts (the service refuses less than 1 or more than "
                    + ReservationService.MAX_HOLD_SECONDS + "; default " + ReservationService.DEFAULT_HOLD_SECONDS + ")")
    long seconds = ReservationService.DEFAULT_HOLD_SECONDS;

    @Override
    void write(DuplexClient duplex, String clientId, String operationId) throws DuplexException {
        print("held", duplex.hold(clientId, operationId, resource, (int) quantity, (int) seconds));
    }
}
