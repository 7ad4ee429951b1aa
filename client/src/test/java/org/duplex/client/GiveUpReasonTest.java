package org.duplex.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.TimeoutException;
import org.duplex.reservation.api.ReplicaUnavailableException;
import org.junit.jupiter.api.Test;

class GiveUpReasonTest {

    @Test
    void aServiceRefusalExplainsAGiveUpWhoseLastAttemptOnlyRanOutOfDeadline() {
        ReplicaUnavailableException refusal = new ReplicaUnavailableException("db-b does not answer");
        DuplexClient.DeadlineReached cut = new DuplexClient.DeadlineReached("the retry deadline came 90 ms into this attempt");

        assertSame(refusal, DuplexClient.reason(cut, refusal));
        assertArrayEquals(new Throwable[] {cut}, refusal.getSuppressed());
    }

    @Test
    void aRealTimeoutStaysTheReason() {
        // a node that did not answer within a whole step is news the caller needs, refusal or not before it
        TimeoutException hung = new TimeoutException("no answer within 1000 ms");
        assertSame(hung, DuplexClient.reason(hung, new ReplicaUnavailableException("earlier")));
    }

    @Test
    void withoutARefusalTheDeadlineIsTheReason() {
        DuplexClient.DeadlineReached cut = new DuplexClient.DeadlineReached("the retry deadline came 5 ms into this attempt");
        assertSame(cut, DuplexClient.reason(cut, null));
    }
}
