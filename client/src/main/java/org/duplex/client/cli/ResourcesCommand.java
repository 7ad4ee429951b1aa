package org.duplex.client.cli;

import java.util.List;

import org.duplex.client.DuplexClient;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.ResourceView;
import picocli.CommandLine.Command;

/** {@code resources}: the inventory. */
@Command(name = "resources", description = "print every resource with its capacity, reserved units and version (JSON: an array)")
final class ResourcesCommand extends AnswerCommand {

    @Override
    void execute(DuplexClient duplex) throws DuplexException {
        List<ResourceView> all = duplex.listResources();
        if (json) {
            out().println(JsonDocuments.write(all.stream().map(JsonAnswers.Resource::of).toList()));
        } else if (all.isEmpty()) {
            out().println("no resources (run the seed command to create the default inventory)");
        } else {
            all.forEach(v -> out().println(describe(v)));
        }
    }
}
