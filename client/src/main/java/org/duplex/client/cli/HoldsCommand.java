package org.duplex.client.cli;

import java.util.List;

import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.Hold;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code holds}: the client's live holds. */
@Command(name = "holds", description = "print the client's live holds, soonest expiry first (JSON: an array)")
final class HoldsCommand extends AnswerCommand {

    @Mixin
    ClientIdOption client;

    @Override
    void execute(DuplexClient duplex) throws DuplexException {
        String clientId = client.resolve(duplex.config());
        List<Hold> all = duplex.listHolds(clientId);
        if (json) {
            out().println(JsonDocuments.write(all.stream().map(JsonAnswers.HoldAnswer::of).toList()));
        } else if (all.isEmpty()) {
            out().println("no live holds for client " + clientId);
        } else {
            all.forEach(h -> out().println(describe(h)));
        }
    }
}
