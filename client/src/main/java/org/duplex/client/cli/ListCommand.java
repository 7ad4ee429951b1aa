package org.duplex.client.cli;

import java.util.List;

import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.ReservationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code list}: every reservation of the client's. */
@Command(name = "list", description = "print every reservation of the client's (JSON: an array)")
final class ListCommand extends AnswerCommand {

    @Mixin
    ClientIdOption client;

    @Override
    void execute(DuplexClient duplex) throws DuplexException {
        String clientId = client.resolve(duplex.config());
        List<ReservationResult> all = duplex.listReservations(clientId);
        if (json) {
            out().println(JsonDocuments.write(all.stream().map(JsonAnswers.Reservation::of).toList()));
        } else if (all.isEmpty()) {
            out().println("no reservations for client " + clientId);
        } else {
            all.forEach(r -> out().println(describe(r)));
        }
    }
}
