package org.duplex.client.cli;

import java.io.PrintStream;
import java.util.UUID;

import picocli.CommandLine.Option;

/** {@code --operation O}: the operation id that makes a write exactly-once; a resend with the same id is answered, not applied. */
final class OperationOption {

    @Option(names = "--operation", paramLabel = "O",
            description = "the operation id (default: a fresh one, printed first so that the request can be resent safely)")
    String operationId;

    /**
     * The id given, or a fresh UUID announced on {@code out} (on {@code err} when the answer is JSON) before the
     * request is sent: if it gives up, the same operation can be resent.
     */
    String resolve(PrintStream out, PrintStream err, boolean json) {
        if (operationId != null) {
            return operationId;
        }
        String op = UUID.randomUUID().toString();
        (json ? err : out).println("operation id: " + op + " (resend with --operation " + op
                + " to repeat this request safely)");
        return op;
    }
}
