package org.duplex.client.cli;

import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.PrimaryBinding;
import picocli.CommandLine.Command;

/** {@code primary}: what {@code reservation/primary} names now. */
@Command(name = "primary", description = "print the reservation/primary binding: the node in charge and the epoch")
final class PrimaryCommand extends AnswerCommand {

    @Override
    void execute(DuplexClient duplex) {
        PrimaryBinding b = duplex.primary();
        out().println(json ? JsonDocuments.write(JsonAnswers.Primary.of(b)) : b.format());
    }
}
