package org.duplex.client.cli;

import org.duplex.reservation.api.Hold;
import org.duplex.reservation.api.ReservationResult;
import org.duplex.reservation.api.ResourceView;
import picocli.CommandLine.Option;

/**
 * A command that sends one request and prints its answer: as a line of text, or with {@code --json} as the JSON
 * of docs/operating.md (a refusal then as {@code {"error":{...}}} on stdout too).
 */
abstract class AnswerCommand extends ClientCommand {

    @Option(names = "--json", description = "print the answer, or the refusal, as one JSON document")
    boolean json;

    @Override
    final boolean json() {
        return json;
    }

    /** A reservation as text ({@code WHAT: reservation ...}, or the duplicate notice) or as JSON. */
    final void print(String what, ReservationResult r) {
        print(what, r.duplicate(), describe(r), JsonAnswers.Reservation.of(r));
    }

    /** A resource as text ({@code WHAT: ID 'NAME' capacity=...}, or the duplicate notice) or as JSON. */
    final void print(String what, ResourceView v) {
        print(what, v.duplicate(), describe(v), JsonAnswers.Resource.of(v));
    }

    /** A hold as text ({@code WHAT: hold ...}, or the duplicate notice) or as JSON. */
    final void print(String what, Hold h) {
        print(what, h.duplicate(), describe(h), JsonAnswers.HoldAnswer.of(h));
    }

    private void print(String what, boolean duplicate, String text, Object document) {
        if (json) {
            out().println(JsonDocuments.write(document));
        } else if (duplicate) {
            out().println("duplicate: this operation was already applied; original result:");
            out().println("  " + text);
        } else {
            out().println(what + ": " + text);
        }
    }

    static String describe(ReservationResult r) {
        return "reservation " + r.id() + " client=" + r.clientId() + " operation=" + r.operationId()
                + " resource=" + r.resourceId() + " quantity=" + r.quantity() + " status=" + r.status()
                + " epoch=" + r.epoch() + " node=" + r.node() + " createdAt=" + r.createdAt();
    }

    static String describe(ResourceView v) {
        return v.id() + " '" + v.name() + "' capacity=" + v.capacity() + " reserved=" + v.reserved()
                + (v.held() == 0 ? "" : " held=" + v.held()) + " available=" + v.available() + " version=" + v.version();
    }

    static String describe(Hold h) {
        return "hold " + h.id() + " client=" + h.clientId() + " operation=" + h.operationId() + " resource="
                + h.resourceId() + " quantity=" + h.quantity() + " status=" + h.status() + " expiresAt=" + h.expiresAt()
                + " epoch=" + h.epoch() + " node=" + h.node();
    }
}
