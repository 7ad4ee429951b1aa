package org.duplex.client.cli;

import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.DuplexException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code get}: one reservation of the client's, read from the primary. */
@Command(name = "get", description = "print one reservation of the client's")
final class GetCommand extends AnswerCommand {

    @Option(names = "--reservation", required = true, paramLabel = "ID", description = "the reservation's id")
    String reservation;

    @Mixin
    ClientIdOption client;

    @Override
    void execute(DuplexClient duplex) throws DuplexException {
        print("reservation", duplex.getReservation(client.resolve(duplex.config()), reservation));
    }
}
