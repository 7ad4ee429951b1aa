package org.duplex.checker.judge;

import java.util.List;

/** What a loadgen run said it got acknowledged: its client ids and the count of acknowledged reservations. */
public record Expectation(List<String> clientIds, long acknowledged) {
    public Expectation {
        clientIds = List.copyOf(clientIds);
    }
}
