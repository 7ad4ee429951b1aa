package org.duplex.client.cli;

import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.ResourceView;
import org.duplex.reservation.api.UnknownResourceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seed}: the default inventory {@code room-1..room-N}, created where missing; needs role admin. */
@Command(name = "seed", description = "create room-1..room-N where missing (role admin)")
final class SeedCommand extends ClientCommand {

    static final int DEFAULT_RESOURCES = 5;
    static final long DEFAULT_CAPACITY = 100_000_000L;

    @Option(names = "--resources", paramLabel = "N", converter = WholeNumber.SeedCount.class,
            defaultValue = "" + DEFAULT_RESOURCES, description = "how many rooms, 1..1000 (default ${DEFAULT-VALUE})")
    long count;

    @Option(names = "--capacity", paramLabel = "C", converter = WholeNumber.Capacity.class,
            defaultValue = "" + DEFAULT_CAPACITY, description = "each new room's capacity (default ${DEFAULT-VALUE})")
    long capacity;

    @Override
    void execute(DuplexClient duplex) throws DuplexException {
        int created = 0;
        for (int i = 1; i <= count; i++) {
            String id = "room-" + i;
            try {
                ResourceView existing = duplex.getResource(id);
                out().println("exists  " + AnswerCommand.describe(existing));
            } catch (UnknownResourceException missing) {
                ResourceView v = duplex.createResource(id, "Room " + i, capacity);
                out().println("created " + AnswerCommand.describe(v));
                created++;
            }
        }
        out().println("seed: " + created + " created, " + (count - created) + " already there");
    }
}
