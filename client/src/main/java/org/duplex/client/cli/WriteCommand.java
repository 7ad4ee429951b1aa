package org.duplex.client.cli;

import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.DuplexException;
import picocli.CommandLine.Mixin;

/**
 * A write the service applies exactly once: it acts for a client id ({@code --client}) under an operation id
 * ({@code --operation}, or a fresh one announced before the request is sent, so that it can be resent safely).
 */
abstract class WriteCommand extends AnswerCommand {

    @Mixin
    ClientIdOption client;

    @Mixin
    OperationOption operation;

    @Override
    final void execute(DuplexClient duplex) throws DuplexException {
        String operationId = operation.resolve(out(), err(), json);
        write(duplex, client.resolve(duplex.config()), operationId);
    }

    /**
     * Sends the write and prints its answer.
     *
     * @throws DuplexException the service refused it (exit code 3)
     */
    abstract void write(DuplexClient duplex, String clientId, String operationId) throws DuplexException;
}
