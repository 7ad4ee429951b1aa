package org.duplex.stock.client;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/**
 * What one run of {@link StockLoad} saw, the file it hands to the benchmark runner: every acknowledgement and
 * every error with wall-clock times (ms since the epoch). Written by {@link #toJson()} in the load driver's
 * JVM and read by {@link #read(String)} in the runner's, so both sides hold the same type.
 */
@JsonbPropertyOrder({"startedMs", "stoppedMs", "acks", "errors"})
public record StockRun(long startedMs, long stoppedMs, List<Ack> acks, List<Failure> errors) {

    private static final Jsonb JSONB = JsonbBuilder.create();

    /** A file without acknowledgements or errors reads as empty lists. */
    public StockRun {
        acks = acks == null ? List.of() : List.copyOf(acks);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** A call the bean answered: {@code result} is what it returned (the row's id and the node). */
    @JsonbPropertyOrder({"clientId", "operationId", "endMs", "result"})
    public record Ack(String clientId, String operationId, long endMs, String result) {
    }

    /** A call that surfaced an exception to the caller; whether its write committed is for the runner to find out. */
    @JsonbPropertyOrder({"clientId", "operationId", "atMs", "type", "message"})
    public record Failure(String clientId, String operationId, long atMs, String type, String message) {
    }

    /** Compact JSON, members in the order above. */
    public String toJson() {
        return JSONB.toJson(this);
    }

    /** @throws IllegalArgumentException the text is not a stock run's file */
    public static StockRun read(String json) {
        try {
            return JSONB.fromJson(json, StockRun.class);
        } catch (JsonbException e) {
            throw new IllegalArgumentException("not a stock run: " + e.getMessage(), e);
        }
    }
}
