package org.duplex.client.cli;

import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.DuplexException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code create-resource}: one resource, exactly once per operation id; needs role admin. */
@Command(name = "create-resource", description = "create a resource (role admin); a resend of the operation is answered as a duplicate")
final class CreateResourceCommand extends WriteCommand {

    @Option(names = "--resource", required = true, paramLabel = "R", description = "the new resource's id")
    String resource;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "its display name")
    String name;

    @Option(names = "--capacity", required = true, paramLabel = "N", converter = WholeNumber.AnyLong.class,
            description = "units it holds (the service refuses less than 1 or more than its maximum)")
    long capacity;

    @Override
    void write(DuplexClient duplex, String clientId, String operationId) throws DuplexException {
        print("created", duplex.createResource(clientId, operationId, resource, name, capacity));
    }
}
